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

namespace {

/// The base from the newest applied sync of `localPath` in the history (opened, or created
/// empty); null when there is none. Fails when the history cannot be opened or read.
Outcome<Side> baseFromHistory(const QString& historyPath, const QString& localPath, ProgressObserver& progress)
{
    HistoryStore history;
    if (const Outcome<> opened = history.open(historyPath); !opened)
        return opened.failure();
    const Outcome<QList<HistorySummary>> runs = history.list();
    if (!runs)
        return runs.failure();
    const QString local = QFileInfo(localPath).absoluteFilePath();
    for (const HistorySummary& run : *runs) { // newest first
        if (run.kind != RunKind::Sync || run.pending || run.rolledBackBy != 0 || run.localSource != local)
            continue;
        const Outcome<HistoryRecord> record = history.load(run.id);
        if (!record)
            return record.failure();
        auto side = std::make_shared<LoadedSide>();
        side->path = QCoreApplication::translate("sideloader", "the sync applied %1 (history #%2)")
                         .arg(run.recordedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s))
                         .arg(run.id);
        side->bytes = record->localAfter;
        const Outcome<Side> decoded = decode(std::move(side), progress);
        if (!decoded) // a record that no longer decodes is no base
            qWarning("No base from the history: %ls", qUtf16Printable(decoded.error()));
        return decoded ? *decoded : Side();
    }
    return Side();
}

} // namespace

Outcome<Side> decode(std::shared_ptr<LoadedSide> side, ProgressObserver& progress)
{
    Decoded<Dataset> d = codec::decodeDataset(bytesView(side->bytes), &progress);
    if (!d) {
        d.error().file = side->path.toStdString();
        return fail(QString::fromStdString(d.error().toString()));
    }
    side->dataset = std::make_shared<const Dataset>(std::move(d.value()));
    return Side(std::move(side));
}

Outcome<Side> read(const QString& path, ProgressObserver& progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(path + u": cannot open the file: "_s + file.errorString());
    auto side = std::make_shared<LoadedSide>();
    side->path = path;
    side->bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(path + u": cannot read the file: "_s + file.errorString());
    return decode(std::move(side), progress);
}

Outcome<Side> findBase(const QString& chosenFile, const QString& historyPath, const QString& localPath,
                       ProgressObserver& progress)
{
    if (!chosenFile.isEmpty()) {
        Outcome<Side> chosen = read(chosenFile, progress);
        if (!chosen)
            return fail(Failure::Kind::BaseUnreadable, chosen.error());
        return chosen;
    }
    if (historyPath.isEmpty() || localPath.isEmpty())
        return Side();
    Outcome<Side> base = baseFromHistory(historyPath, localPath, progress);
    if (!base) {
        qWarning("No base from the history: %ls", qUtf16Printable(base.error()));
        return Side();
    }
    return base;
}

} // namespace sideloader
