// SPDX-License-Identifier: MIT
#include "app/server/datasetwrite.h"

#include "app/services/bytes.h"

#include "engine/datasetcodec.h"

using namespace Qt::StringLiterals;
using namespace decksync;

DatasetWrite::DatasetWrite(ServerStore& store, const ApiRequest& request)
    : m_store(store)
    , m_request(request)
    , m_tx(store)
{
}

bool DatasetWrite::begin()
{
    if (!m_tx.begin(&m_error))
        return false;
    const std::optional<StoredDataset> stored = m_store.loadDataset(m_request.target.id, &m_error);
    if (!stored)
        return false;
    m_stored = *stored;
    return true;
}

bool DatasetWrite::decodeDocument(const QByteArray& document, Dataset* out, QString* error)
{
    if (document.isEmpty()) {
        *out = Dataset{};
        return true;
    }
    Decoded<Dataset> decoded = codec::decodeDataset(bytesView(document));
    if (!decoded) {
        *error = u"The stored dataset cannot be read: %1."_s.arg(QString::fromStdString(decoded.error().toString()));
        return false;
    }
    *out = std::move(decoded.value());
    return true;
}

QByteArray DatasetWrite::encodeDocument(const Dataset& dataset)
{
    const std::string text = codec::encodeDataset(dataset);
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

bool DatasetWrite::decode(Dataset* out) { return decodeDocument(m_stored.document, out, &m_error); }

bool DatasetWrite::commit(const Dataset& next) { return commitDocument(encodeDocument(next)); }

bool DatasetWrite::commitDocument(const QByteArray& document)
{
    const qint64 before = m_stored.revision;
    if (!m_store.saveDataset(m_request.target.id, {before + 1, document}, &m_error))
        return false;
    if (m_request.actingAs()
        && !m_store.addAudit({m_request.caller.id, m_request.target.id, m_request.method, m_request.path, before,
                              before + 1},
                             &m_error))
        return false;
    if (!m_tx.commit(&m_error))
        return false;
    return true;
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
