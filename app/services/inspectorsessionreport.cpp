// SPDX-License-Identifier: MIT
// InspectorSession's case report: written on the write lane (it is an export), and its
// summary for the ticket worked out on a read of its own.
#include "app/services/inspectorsession.h"

#include "app/services/reportwriter.h"
#include "engine/casereport.h"

using namespace decksync;

namespace {

CaseSources sourcesOf(const LoadedSide* local, const LoadedSide* server, const LoadedSide* base)
{
    return {local ? local->path.toStdString() : std::string(), server ? server->path.toStdString() : std::string(),
            base ? base->path.toStdString() : std::string()};
}

} // namespace

void InspectorSession::exportReport(const QString& path)
{
    const auto snapshot = this->snapshot();
    const std::optional<ReportFormat> format = reportFormatOfPath(path);
    if (!snapshot) {
        Q_EMIT reportFailed(tr("Nothing is loaded."));
        return;
    }
    if (!format) {
        Q_EMIT reportFailed(tr("%1: a report is written as .pdf, .html or .md").arg(path));
        return;
    }
    const CaseSources sources = sourcesOf(localSide().get(), serverSide().get(), snapshot->base() ? baseSide().get() : nullptr);
    m_ops.write(tr("Writing the report %1").arg(path),
                [this, path, snapshot, sources, format, resolutions = resolutions()](WriteTicket ticket) {
                    ticket.run(
                        [path, snapshot, sources, format, resolutions](JobProgress&) {
                            return writeCaseReport(CaseReport(*snapshot, resolutions, sources), path, *format);
                        },
                        [this, path](const Outcome<>& written) {
                            if (written)
                                Q_EMIT reportExported(path);
                            else
                                Q_EMIT reportFailed(written.error());
                        });
                });
}

void InspectorSession::caseSummary(QObject* context, std::function<void(const QString&)> done)
{
    const auto snapshot = this->snapshot();
    if (!snapshot) {
        done(QString());
        return;
    }
    const CaseSources sources = sourcesOf(localSide().get(), serverSide().get(), snapshot->base() ? baseSide().get() : nullptr);
    m_previews.start(
        tr("Summing up"), context,
        [snapshot, sources, resolutions = resolutions()](JobProgress&) {
            return QString::fromStdString(CaseReport(*snapshot, resolutions, sources).summaryText());
        },
        std::move(done));
}
