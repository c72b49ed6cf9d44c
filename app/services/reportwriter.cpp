// SPDX-License-Identifier: MIT
#include "app/services/reportwriter.h"

#include "engine/casereport.h"

#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

using namespace Qt::StringLiterals;

std::optional<ReportFormat> reportFormatFromName(QStringView name)
{
    if (name == u"md" || name == u"markdown")
        return ReportFormat::Markdown;
    if (name == u"html")
        return ReportFormat::Html;
    if (name == u"pdf")
        return ReportFormat::Pdf;
    return std::nullopt;
}

std::optional<ReportFormat> reportFormatOfPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return reportFormatFromName(suffix == u"htm" ? u"html"_s : suffix);
}

Outcome<> writeCaseReport(const decksync::CaseReport& report, const QString& path, ReportFormat format)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QObject::tr("%1: cannot write the report: %2").arg(path, file.errorString()));
    if (format == ReportFormat::Pdf) {
        QTextDocument document;
        document.setHtml(QString::fromStdString(report.html()));
        QPdfWriter pdf(&file);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setResolution(120);
        pdf.setTitle(u"DeckSync case report"_s);
        pdf.setCreator(u"DeckSync Inspector"_s);
        document.print(&pdf);
    } else {
        const std::string text = format == ReportFormat::Html ? report.html() : report.markdown();
        if (file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()))
            return fail(QObject::tr("%1: cannot write the report: %2").arg(path, file.errorString()));
    }
    if (!file.commit())
        return fail(QObject::tr("%1: cannot write the report: %2").arg(path, file.errorString()));
    return {};
}
