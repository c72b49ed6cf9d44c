// SPDX-License-Identifier: MIT
#include "app/server/itemrows.h"

#include "app/services/bytes.h"

#include "engine/datasetcodec.h"

#include <QVariant>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using namespace decksync;

namespace {

bool setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}


/// An id as the text column holds it (bound as a byte array, PostgreSQL would take it for bytea).
QVariant idText(const QByteArray& id) { return QString::fromUtf8(id); }

DataType typeOf(const QVariant& v) { return static_cast<DataType>(v.toInt()); }
int typeCode(DataType type) { return static_cast<int>(type); }

/// A blob column for a value that may be absent (NULL).
QVariant blob(const std::optional<QByteArray>& bytes)
{
    return bytes ? QVariant(*bytes) : QVariant(QMetaType(QMetaType::QByteArray));
}

std::optional<RevisionKind> kindFromName(const QString& name)
{
    for (const RevisionKind k : {RevisionKind::Sync, RevisionKind::Batch, RevisionKind::Put, RevisionKind::Restore,
                                 RevisionKind::Upgrade}) {
        if (name == QLatin1String(revisionKindName(k)))
            return k;
    }
    return std::nullopt;
}

} // namespace

const char* revisionKindName(RevisionKind kind)
{
    switch (kind) {
    case RevisionKind::Sync: return "sync";
    case RevisionKind::Batch: return "batch";
    case RevisionKind::Put: return "put";
    case RevisionKind::Restore: return "restore";
    case RevisionKind::Upgrade: return "upgrade";
    }
    return "put";
}

std::optional<StoredHead> ItemRows::head(QString* error)
{
    QString why;
    const auto q = m_store.query(u"SELECT revision, oldest, frame, at_ms FROM heads WHERE user_id = ?"_s, {m_userId}, &why);
    if (!q) {
        setError(error, u"Could not read the user's revision: %1."_s.arg(why));
        return std::nullopt;
    }
    if (!q->next())
        return StoredHead{};
    return StoredHead{q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toByteArray(),
                      q->value(3).toLongLong()};
}

bool ItemRows::load(DataType type, const std::vector<QByteArray>* ids, std::vector<StoredItem>* out, QString* error)
{
    QString why;
    const auto read = [&](const ServerStore::Statement& q) {
        while (q->next())
            out->push_back({type, q->value(0).toByteArray(), q->value(1).toLongLong(), q->value(2).toByteArray()});
    };
    if (!ids) {
        const auto q = m_store.query(
            u"SELECT id, pos, body FROM items WHERE user_id = ? AND type = ? AND deleted = 0 ORDER BY pos"_s,
            {m_userId, typeCode(type)}, &why);
        if (!q)
            return setError(error, u"Could not read the stored items: %1."_s.arg(why));
        read(q);
        return true;
    }
    const std::size_t first = out->size();
    for (const QByteArray& id : *ids) {
        const auto q = m_store.query(
            u"SELECT id, pos, body FROM items WHERE user_id = ? AND type = ? AND id = ? AND deleted = 0"_s,
            {m_userId, typeCode(type), idText(id)}, &why);
        if (!q)
            return setError(error, u"Could not read the stored items: %1."_s.arg(why));
        read(q);
    }
    std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
              [](const StoredItem& a, const StoredItem& b) { return a.pos < b.pos; });
    out->erase(std::unique(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
                           [](const StoredItem& a, const StoredItem& b) { return a.id == b.id; }),
               out->end());
    return true;
}

std::optional<qint64> ItemRows::maxPos(DataType type, QString* error)
{
    QString why;
    const auto q = m_store.query(u"SELECT max_pos FROM item_lists WHERE user_id = ? AND type = ?"_s,
                                 {m_userId, typeCode(type)}, &why);
    if (!q) {
        setError(error, u"Could not read the stored items: %1."_s.arg(why));
        return std::nullopt;
    }
    return q->next() ? q->value(0).toLongLong() : -1;
}

bool ItemRows::itemsAt(const StoredHead& head, qint64 revision, std::vector<StoredItem>* out, QString* error,
                       std::optional<DataType> only)
{
    QString why;
    // -1 names no type: every type.
    const int type = only ? typeCode(*only) : -1;
    if (revision >= head.revision) {
        const auto q = m_store.query(u"SELECT type, id, pos, body FROM items WHERE user_id = ? AND deleted = 0"
                                     " AND (? < 0 OR type = ?) ORDER BY type, pos"_s,
                                     {m_userId, type, type}, &why);
        if (!q)
            return setError(error, u"Could not read the stored items: %1."_s.arg(why));
        while (q->next())
            out->push_back({typeOf(q->value(0)), q->value(1).toByteArray(), q->value(2).toLongLong(),
                            q->value(3).toByteArray()});
        return true;
    }
    // An item last changed at or before `revision` is as it was then; one changed after it was
    // what the first change after `revision` replaced (nothing, if that change created it).
    const auto q = m_store.query(
        u"SELECT type, id, pos, body FROM items WHERE user_id = ? AND revision <= ? AND deleted = 0"
        " AND (? < 0 OR type = ?)"
        " UNION ALL"
        " SELECT h.type, h.id, h.pos, h.body FROM item_history h"
        " WHERE h.user_id = ? AND h.revision > ? AND h.body IS NOT NULL AND (? < 0 OR h.type = ?)"
        " AND NOT EXISTS (SELECT 1 FROM item_history e WHERE e.user_id = h.user_id AND e.type = h.type"
        " AND e.id = h.id AND e.revision > ? AND e.revision < h.revision)"
        " ORDER BY 1, 3"_s,
        {m_userId, revision, type, type, m_userId, revision, type, type, revision}, &why);
    if (!q)
        return setError(error, u"Could not read the history: %1."_s.arg(why));
    while (q->next())
        out->push_back(
            {typeOf(q->value(0)), q->value(1).toByteArray(), q->value(2).toLongLong(), q->value(3).toByteArray()});
    return true;
}

std::optional<QByteArray> ItemRows::frameAt(const StoredHead& head, qint64 revision, QString* error)
{
    if (revision == head.revision)
        return head.frame;
    if (revision == 0)
        return QByteArray();
    QString why;
    const auto q = m_store.query(u"SELECT frame FROM revisions WHERE user_id = ? AND revision = ?"_s,
                                 {m_userId, revision}, &why);
    if (!q || !q->next()) {
        setError(error, why.isEmpty() ? u"The revision %1 is not kept."_s.arg(revision)
                                      : u"Could not read the history: %1."_s.arg(why));
        return std::nullopt;
    }
    return q->value(0).toByteArray();
}

std::optional<QByteArray> ItemRows::document(const StoredHead& head, qint64 revision, QString* error)
{
    const std::optional<QByteArray> frame = frameAt(head, revision, error);
    std::vector<StoredItem> items;
    if (!frame || !itemsAt(head, revision, &items, error))
        return std::nullopt;
    QString why;
    QByteArray document = assemble(*frame, items, &why);
    if (!why.isEmpty()) {
        setError(error, why);
        return std::nullopt;
    }
    return document;
}

QByteArray ItemRows::assemble(const QByteArray& frame, const std::vector<StoredItem>& items, QString* error)
{
    Dataset shape;
    if (!frame.isEmpty()) {
        Decoded<Dataset> decoded = codec::decodeDataset(bytesView(frame));
        if (!decoded) {
            setError(error, u"The stored document cannot be read: %1."_s.arg(
                                QString::fromStdString(decoded.error().toString())));
            return {};
        }
        shape = std::move(decoded.value());
    }
    codec::RawItems raw;
    for (const StoredItem& item : items) {
        if (item.type == DataType::Preferences)
            raw.preferences = bytesView(item.body);
        else
            raw.lists[static_cast<std::size_t>(item.type)].push_back(bytesView(item.body));
    }
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    codec::writeDatasetWith(w, shape, raw);
    w.finish();
    return QByteArray(out.data(), static_cast<qsizetype>(out.size()));
}

bool ItemRows::changedSince(qint64 revision, std::vector<StoredItem>* live, std::vector<StoredItem>* deleted,
                            QString* error)
{
    QString why;
    const auto q = m_store.query(
        u"SELECT type, id, pos, deleted, body FROM items WHERE user_id = ? AND revision > ? ORDER BY type, pos"_s,
        {m_userId, revision}, &why);
    if (!q)
        return setError(error, u"Could not read the changed items: %1."_s.arg(why));
    while (q->next()) {
        StoredItem item{typeOf(q->value(0)), q->value(1).toByteArray(), q->value(2).toLongLong(), {}};
        if (q->value(3).toInt() != 0) {
            deleted->push_back(std::move(item));
        } else {
            item.body = q->value(4).toByteArray();
            live->push_back(std::move(item));
        }
    }
    return true;
}

std::optional<qint64> ItemRows::revisionAt(Timestamp at, QString* error)
{
    QString why;
    const auto q = m_store.query(u"SELECT max(revision) FROM revisions WHERE user_id = ? AND at_ms <= ?"_s,
                                 {m_userId, qint64{at.toMilliseconds()}}, &why);
    if (!q) {
        setError(error, u"Could not read the history: %1."_s.arg(why));
        return std::nullopt;
    }
    return q->next() ? q->value(0).toLongLong() : 0; // NULL (no revision yet) reads as 0
}

namespace {

/// The columns revisions() and itemRevisions() list, in this order, from `r` and `u`.
const char16_t RevisionColumns[] = u"r.revision, r.at_ms, coalesce(u.email, ''), r.actor_user_id, r.device, r.kind,"
                                   " r.detail, r.added, r.removed, r.changed, r.conflicts";

RevisionRecord revisionOfRow(const ServerStore::Statement& q)
{
    RevisionRecord r;
    r.revision = q->value(0).toLongLong();
    r.at = Timestamp::fromMilliseconds(q->value(1).toLongLong());
    r.actor = q->value(2).toString();
    r.actorId = q->value(3).toLongLong();
    r.device = q->value(4).toByteArray();
    r.kind = kindFromName(q->value(5).toString()).value_or(RevisionKind::Put);
    r.detail = q->value(6).toString();
    r.added = q->value(7).toLongLong();
    r.removed = q->value(8).toLongLong();
    r.changed = q->value(9).toLongLong();
    r.conflicts = q->value(10).toLongLong();
    return r;
}

std::optional<QByteArray> optionalBlob(const QVariant& v)
{
    return v.isNull() ? std::nullopt : std::optional<QByteArray>(v.toByteArray());
}

} // namespace

bool ItemRows::revisions(qint64 before, int limit, std::vector<RevisionRecord>* out, QString* error)
{
    QString why;
    const auto q = m_store.query(
        u"SELECT %1 FROM revisions r LEFT JOIN users u ON u.id = r.actor_user_id"
        " WHERE r.user_id = ? AND (? = 0 OR r.revision < ?) ORDER BY r.revision DESC LIMIT ?"_s.arg(RevisionColumns),
        {m_userId, before, before, limit}, &why);
    if (!q)
        return setError(error, u"Could not read the history: %1."_s.arg(why));
    while (q->next())
        out->push_back(revisionOfRow(q));
    return true;
}

bool ItemRows::itemRevisions(DataType type, const QByteArray& id, qint64 before, int limit,
                             std::vector<ItemRevision>* out, QString* error)
{
    // item_history holds what each write replaced: the text before it. What a write left is
    // what the next write of the item replaced, or the item as it is now.
    QString why;
    const std::size_t first = out->size();
    {
        const auto q = m_store.query(
            u"SELECT %1, h.body FROM item_history h JOIN revisions r ON r.user_id = h.user_id AND r.revision = h.revision"
            " LEFT JOIN users u ON u.id = r.actor_user_id WHERE h.user_id = ? AND h.type = ? AND h.id = ?"
            " AND (? = 0 OR h.revision < ?) ORDER BY h.revision DESC LIMIT ?"_s.arg(RevisionColumns),
            {m_userId, typeCode(type), idText(id), before, before, limit}, &why);
        if (!q)
            return setError(error, u"Could not read the item's history: %1."_s.arg(why));
        while (q->next())
            out->push_back({revisionOfRow(q), optionalBlob(q->value(11)), std::nullopt});
    }
    if (out->size() == first)
        return true;
    for (std::size_t i = first + 1; i < out->size(); ++i)
        (*out)[i].after = (*out)[i - 1].before;
    const auto next = m_store.query(
        u"SELECT body FROM item_history WHERE user_id = ? AND type = ? AND id = ? AND revision > ?"
        " ORDER BY revision LIMIT 1"_s,
        {m_userId, typeCode(type), idText(id), (*out)[first].record.revision}, &why);
    if (!next)
        return setError(error, u"Could not read the item's history: %1."_s.arg(why));
    if (next->next()) {
        (*out)[first].after = optionalBlob(next->value(0));
        return true;
    }
    const auto now = m_store.query(u"SELECT body FROM items WHERE user_id = ? AND type = ? AND id = ?"_s,
                                   {m_userId, typeCode(type), idText(id)}, &why);
    if (!now)
        return setError(error, u"Could not read the stored item: %1."_s.arg(why));
    if (now->next())
        (*out)[first].after = optionalBlob(now->value(0)); // NULL: a tombstone
    return true;
}

bool ItemRows::syncsSince(const StoredHead& head, Timestamp since, std::vector<RevisionRecord>* out,
                          QString* error)
{
    QString why;
    const auto q = m_store.query(
        u"SELECT r.revision, r.at_ms, r.device, r.detail, r.conflicts, s.body FROM revisions r"
        " JOIN sync_uploads s ON s.user_id = r.user_id AND s.revision = r.revision"
        " WHERE r.user_id = ? AND r.at_ms >= ? AND r.revision > ? AND r.kind = ? ORDER BY r.revision"_s,
        {m_userId, qint64{since.toMilliseconds()}, head.oldest, QString::fromLatin1(revisionKindName(RevisionKind::Sync))},
        &why);
    if (!q)
        return setError(error, u"Could not read the history: %1."_s.arg(why));
    while (q->next()) {
        RevisionRecord r;
        r.revision = q->value(0).toLongLong();
        r.at = Timestamp::fromMilliseconds(q->value(1).toLongLong());
        r.device = q->value(2).toByteArray();
        r.kind = RevisionKind::Sync;
        r.detail = q->value(3).toString();
        r.conflicts = q->value(4).toLongLong();
        r.upload = q->value(5).toByteArray();
        out->push_back(std::move(r));
    }
    return true;
}

bool ItemRows::write(const StoredHead& head, const RevisionRecord& record, const std::vector<ItemChange>& changes,
                     const HistoryRetention& retention, QString* error)
{
    QString why;
    const auto failed = [&](const QString& what) { return setError(error, u"Could not %1: %2."_s.arg(what, why)); };
    for (const ItemChange& c : changes) {
        if (!m_store.query(u"INSERT INTO item_history (user_id, type, id, revision, pos, body) VALUES (?, ?, ?, ?, ?, ?)"_s,
                           {m_userId, typeCode(c.type), idText(c.id), record.revision, c.posBefore, blob(c.before)}, &why))
            return failed(u"keep the item's history"_s);
        const bool kept = bool(
            c.after ? m_store.query(u"INSERT INTO items (user_id, type, id, pos, revision, deleted, body)"
                                    " VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (user_id, type, id) DO UPDATE SET"
                                    " pos = excluded.pos, revision = excluded.revision, deleted = 0, body = excluded.body"_s,
                                    {m_userId, typeCode(c.type), idText(c.id), c.pos, record.revision, *c.after}, &why)
                    : m_store.query(u"UPDATE items SET revision = ?, deleted = 1, body = NULL"
                                    " WHERE user_id = ? AND type = ? AND id = ?"_s,
                                    {record.revision, m_userId, typeCode(c.type), idText(c.id)}, &why));
        if (!kept)
            return failed(u"save the item"_s);
    }
    // The lists whose largest place grew.
    std::array<qint64, 5> grown;
    grown.fill(-1);
    for (const ItemChange& c : changes) {
        if (c.after)
            grown[static_cast<std::size_t>(c.type)] = std::max(grown[static_cast<std::size_t>(c.type)], c.pos);
    }
    for (const DataType type : AllDataTypes) {
        const qint64 pos = grown[static_cast<std::size_t>(type)];
        if (pos >= 0
            && !m_store.query(u"INSERT INTO item_lists (user_id, type, max_pos) VALUES (?, ?, ?) ON CONFLICT (user_id,"
                              " type) DO UPDATE SET max_pos = excluded.max_pos WHERE item_lists.max_pos < excluded.max_pos"_s,
                              {m_userId, typeCode(type), pos}, &why))
            return failed(u"save the item's place"_s);
    }
    if (!m_store.query(u"INSERT INTO revisions (user_id, revision, at_ms, actor_user_id, device, kind, detail, added,"
                       " removed, changed, conflicts, frame) VALUES (?, ?, ?, ?, coalesce(?, ''), ?, coalesce(?, ''), ?, ?, ?, ?, ?)"_s,
                       {m_userId, record.revision, qint64{record.at.toMilliseconds()},
                        record.actorId ? QVariant(record.actorId) : QVariant(QMetaType(QMetaType::LongLong)),
                        QString::fromUtf8(record.device), QString::fromLatin1(revisionKindName(record.kind)),
                        record.detail, record.added, record.removed, record.changed, record.conflicts, record.frame},
                       &why))
        return failed(u"record the revision"_s);
    if (!record.upload.isEmpty()
        && !m_store.query(u"INSERT INTO sync_uploads (user_id, revision, body) VALUES (?, ?, ?)"_s,
                          {m_userId, record.revision, record.upload}, &why))
        return failed(u"keep the sync's upload"_s);
    if (!m_store.query(u"INSERT INTO heads (user_id, revision, oldest, frame, at_ms) VALUES (?, ?, ?, ?, ?)"
                       " ON CONFLICT (user_id) DO UPDATE SET revision = excluded.revision, frame = excluded.frame,"
                       " at_ms = excluded.at_ms"_s,
                       {m_userId, record.revision, head.oldest, record.frame, qint64{record.at.toMilliseconds()}}, &why))
        return failed(u"save the revision"_s);
    return prune(head, record, retention, error);
}

bool ItemRows::prune(const StoredHead& head, const RevisionRecord& record, const HistoryRetention& retention,
                     QString* error)
{
    // The cutoff is the newest revision that is let go of as a past state: the states from it on
    // can still be rebuilt, so it becomes the oldest.
    qint64 cutoff = 0;
    if (retention.revisions > 0)
        cutoff = std::max<qint64>(cutoff, record.revision - retention.revisions);
    QString why;
    if (retention.days > 0) {
        const Timestamp horizon = record.at.addSeconds(-std::int64_t{retention.days} * 86400);
        const std::optional<qint64> old = revisionAt(horizon, error);
        if (!old)
            return false;
        cutoff = std::max(cutoff, *old);
    }
    if (cutoff <= head.oldest)
        return true;
    const auto failed = [&] { return setError(error, u"Could not let go of old history: %1."_s.arg(why)); };
    if (!m_store.query(u"DELETE FROM item_history WHERE user_id = ? AND revision <= ?"_s, {m_userId, cutoff}, &why)
        || !m_store.query(u"DELETE FROM items WHERE user_id = ? AND deleted = 1 AND revision <= ?"_s,
                          {m_userId, cutoff}, &why)
        || !m_store.query(u"DELETE FROM revisions WHERE user_id = ? AND revision < ?"_s, {m_userId, cutoff}, &why)
        // A replay of the sync of `cutoff` needs the state before it, which is let go.
        || !m_store.query(u"DELETE FROM sync_uploads WHERE user_id = ? AND revision <= ?"_s, {m_userId, cutoff}, &why)
        || !m_store.query(u"UPDATE heads SET oldest = ? WHERE user_id = ?"_s, {cutoff, m_userId}, &why))
        return failed();
    return true;
}
