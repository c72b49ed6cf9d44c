// SPDX-License-Identifier: MIT
#include "app/server/datasetwrite.h"

#include "app/server/datasetrows.h"
#include "app/services/bytes.h"

#include "engine/datasetcodec.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace decksync;

DatasetWrite::DatasetWrite(ServerStore& store, const ApiRequest& request, RevisionKind kind, QString detail)
    : m_store(store)
    , m_request(request)
    , m_kind(kind)
    , m_detail(std::move(detail))
    , m_tx(store)
    , m_rows(store, request.target.id)
{
}

bool DatasetWrite::begin()
{
    if (!m_tx.begin(&m_error) || !m_store.lockUser(m_request.target.id, &m_error))
        return false;
    const std::optional<StoredHead> head = m_rows.head(&m_error);
    if (!head)
        return false;
    m_head = *head;
    m_at = std::max(m_request.now, Timestamp::fromMilliseconds(m_head.atMs + 1));
    return true;
}

bool DatasetWrite::decodeFrame(Dataset* out)
{
    *out = Dataset{};
    if (m_head.frame.isEmpty())
        return true;
    Decoded<Dataset> frame = codec::decodeDataset(bytesView(m_head.frame));
    if (!frame) {
        m_error = u"The stored document cannot be read: %1."_s.arg(QString::fromStdString(frame.error().toString()));
        return false;
    }
    *out = std::move(frame.value());
    return true;
}

bool DatasetWrite::read(DataType type, const std::vector<QByteArray>* ids, Dataset* out)
{
    std::vector<StoredItem> rows;
    if (!m_rows.load(type, ids, &rows, &m_error) || (out && !DatasetRows::decodeRows(rows, out, &m_error)))
        return false;
    const auto t = static_cast<std::size_t>(type);
    m_read[t] = std::move(rows);
    m_whole[t] = ids == nullptr;
    return true;
}

bool DatasetWrite::decode(Dataset* out)
{
    if (!decodeFrame(out))
        return false;
    for (const DataType type : AllDataTypes) {
        if (!read(type, nullptr, out))
            return false;
    }
    return true;
}

bool DatasetWrite::readAll()
{
    for (const DataType type : AllDataTypes) {
        if (!read(type, nullptr, nullptr))
            return false;
    }
    return true;
}

const std::vector<StoredItem>& DatasetWrite::readRows(DataType type) const
{
    static const std::vector<StoredItem> none;
    const auto& rows = m_read[static_cast<std::size_t>(type)];
    return rows ? *rows : none;
}

bool DatasetWrite::decode(Dataset* out, DataType type) { return decodeFrame(out) && read(type, nullptr, out); }

bool DatasetWrite::decode(Dataset* out, const Ids& ids)
{
    if (!decodeFrame(out))
        return false;
    for (const DataType type : AllDataTypes) {
        const std::vector<QByteArray>& named = ids[static_cast<std::size_t>(type)];
        // The preferences are one item: read whole, whatever id an operation names.
        if (type == DataType::Preferences ? !named.empty() && !read(type, nullptr, out)
                                          : !named.empty() && !read(type, &named, out))
            return false;
    }
    return true;
}

QByteArray DatasetWrite::encodeDocument(const Dataset& dataset)
{
    const std::string text = codec::encodeDataset(dataset, JsonWriter::Style::Compact);
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

bool DatasetWrite::commit(const Dataset& next)
{
    std::vector<ItemChange> changes;
    for (const DataType type : AllDataTypes) {
        const auto t = static_cast<std::size_t>(type);
        if (!m_read[t])
            continue;
        // New items go after every place ever used, tombstones' too: a place is never reused.
        const std::optional<qint64> maxPos = m_rows.maxPos(type, &m_error);
        if (!maxPos)
            return false;
        std::vector<ItemChange> typeChanges =
            DatasetRows::diff(type, *m_read[t], DatasetRows::rowsOf(next, type), m_whole[t], *maxPos);
        std::move(typeChanges.begin(), typeChanges.end(), std::back_inserter(changes));
    }
    const DatasetRows::Counts counts = DatasetRows::countsOf(changes);
    RevisionRecord record;
    record.revision = newRevision();
    record.at = m_at;
    record.actorId = m_request.caller.id;
    record.device = m_request.deviceId;
    record.kind = m_kind;
    record.detail = m_detail;
    record.added = counts.added;
    record.removed = counts.removed;
    record.changed = counts.changed;
    record.conflicts = m_conflicts;
    record.frame = DatasetRows::frameOf(next);
    record.upload = m_upload;
    const qint64 before = m_head.revision;
    if (!m_rows.write(m_head, record, changes, m_store.retention(), &m_error))
        return false;
    if ((m_request.actingAs() || m_kind == RevisionKind::Restore)
        && !m_store.addAudit({m_request.caller.id, m_request.target.id, m_request.method, m_request.path, before,
                              before + 1},
                             &m_error))
        return false;
    return m_tx.commit(&m_error);
}

bool DatasetWrite::auditRead(ServerStore& store, const ApiRequest& request, qint64 revision)
{
    if (!request.actingAs())
        return true;
    QString ignored;
    ServerStore::Transaction tx(store); // the write lock: the audit row waits for other writes
    return tx.begin(&ignored)
        && store.addAudit({request.caller.id, request.target.id, request.method, request.path, revision, revision},
                          &ignored)
        && tx.commit(&ignored);
}
