// SPDX-License-Identifier: MIT
#include "app/services/sideloader.h"

#include "app/services/bytes.h"
#include "app/services/historystore.h"
#include "engine/datasetcodec.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <atomic>

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

std::atomic<qint64> g_heldBytesLimit{qint64(64) << 20};

} // namespace

qint64 heldBytesLimit() { return g_heldBytesLimit.load(); }
void setHeldBytesLimit(qint64 bytes) { g_heldBytesLimit.store(bytes); }

// At the size the file has: readAll() grows its buffer as it goes and keeps the slack (up
// to a tenth of the file) for as long as the bytes live.
Outcome<QByteArray> readWholeFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(path + u": cannot open the file: "_s + file.errorString());
    QByteArray bytes(file.size(), Qt::Uninitialized);
    const qint64 got = file.read(bytes.data(), bytes.size());
    if (got >= 0 && got < bytes.size())
        bytes.truncate(got); // it shrank meanwhile
    else if (got >= 0 && !file.atEnd())
        bytes += file.readAll(); // it grew meanwhile
    if (got < 0 || file.error() != QFileDevice::NoError)
        return fail(path + u": cannot read the file: "_s + file.errorString());
    return bytes;
}

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
    Outcome<QByteArray> bytes = readWholeFile(path);
    if (!bytes)
        return bytes.failure();
    auto side = std::make_shared<LoadedSide>();
    side->path = path;
    side->bytes = std::move(*bytes);
    side->stamp = ContentStamp::of(bytesView(side->bytes));
    Outcome<Side> decoded = decode(side, progress);
    // The decoded data is what the inspector works on. A large file's bytes are read again
    // for the history or a repro bundle, and their stamp says whether they are the same.
    if (side->bytes.size() > heldBytesLimit()) {
        side->bytes = QByteArray();
        side->onDisk = true;
    }
    return decoded;
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

Outcome<QByteArray> LoadedSide::exactBytes() const
{
    if (!onDisk)
        return bytes;
    Outcome<QByteArray> now = sideloader::readWholeFile(path);
    if (!now)
        return now.failure();
    if (ContentStamp::of(bytesView(*now)) != stamp) // the file's stamp, as read at loading
        return fail(Failure::Kind::TargetsChanged,
                    QCoreApplication::translate("sideloader", "%1 changed on disk since it was loaded: load it again")
                        .arg(path),
                    {path});
    return now;
}
