// SPDX-License-Identifier: MIT
#include "app/services/sideloader.h"

#include "app/services/bytes.h"
#include "app/services/historystore.h"
#include "engine/datasetcodec.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace sideloader {

std::shared_ptr<const LoadedSide> decode(std::shared_ptr<LoadedSide> side, ProgressObserver& progress, QString* error)
{
    Decoded<Dataset> d = codec::decodeDataset(bytesView(side->bytes), &progress);
    if (!d) {
        d.error().file = side->path.toStdString();
        *error = QString::fromStdString(d.error().toString());
        return nullptr;
    }
    side->dataset = std::make_shared<const Dataset>(std::move(d.value()));
    return side;
}

std::shared_ptr<const LoadedSide> read(const QString& path, ProgressObserver& progress, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + u": cannot open the file: "_s + file.errorString();
        return nullptr;
    }
    auto side = std::make_shared<LoadedSide>();
    side->path = path;
    side->bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        *error = path + u": cannot read the file: "_s + file.errorString();
        return nullptr;
    }
    return decode(std::move(side), progress, error);
}

std::shared_ptr<const LoadedSide> findBase(const QString& chosenFile, const QString& historyPath,
                                           const QString& localPath, ProgressObserver& progress, QString* error)
{
    if (!chosenFile.isEmpty())
        return read(chosenFile, progress, error);
    if (historyPath.isEmpty() || localPath.isEmpty())
        return nullptr;
    HistoryStore history;
    const Outcome<> opened = history.open(historyPath); // no history yet: created empty
    const Outcome<QList<HistorySummary>> runs =
        opened ? history.list() : Outcome<QList<HistorySummary>>(opened.failure());
    if (!runs) {
        qWarning("No base from the history: %ls", qUtf16Printable(runs.error()));
        return nullptr;
    }
    const QString local = QFileInfo(localPath).absoluteFilePath();
    for (const HistorySummary& run : *runs) { // newest first
        if (run.kind != RunKind::Sync || run.pending || run.rolledBackBy != 0 || run.localSource != local)
            continue;
        const Outcome<HistoryRecord> record = history.load(run.id);
        if (!record) {
            qWarning("No base from the history: %ls", qUtf16Printable(record.error()));
            return nullptr;
        }
        auto side = std::make_shared<LoadedSide>();
        side->path = QCoreApplication::translate("sideloader", "the sync applied %1 (history #%2)")
                         .arg(run.recordedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s))
                         .arg(run.id);
        side->bytes = record->localAfter;
        QString ignored; // a record that no longer decodes is no base
        return decode(std::move(side), progress, &ignored);
    }
    return nullptr;
}

} // namespace sideloader
