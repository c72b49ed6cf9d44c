// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/serverstore.h"

#include "engine/models.h"

/// The write of one request to the target user's dataset, in one transaction: begin() takes
/// the write lock and reads the stored dataset, commit() stores the new one at revision + 1
/// (with an audit row when support acts as the user). Destroyed uncommitted: rolled back.
class DatasetWrite {
public:
    DatasetWrite(ServerStore& store, const ApiRequest& request);

    bool begin();
    [[nodiscard]] qint64 revision() const { return m_stored.revision; }
    [[nodiscard]] qint64 newRevision() const { return m_stored.revision + 1; }
    /// The stored dataset decoded (empty for a user who never wrote).
    bool decode(decksync::Dataset* out);
    bool commit(const decksync::Dataset& next);
    /// Stores `document`, which must be a valid dataset document.
    bool commitDocument(const QByteArray& document);
    /// The response for the last failure of begin(), decode() or commit().
    [[nodiscard]] ApiResponse failure() const { return ApiResponse::storeError(m_error); }

    /// The SQL transaction, for handlers that store more in it (batches).
    [[nodiscard]] ServerStore& store() { return m_store; }

    /// Decodes a stored document; an empty one is an empty dataset.
    static bool decodeDocument(const QByteArray& document, decksync::Dataset* out, QString* error);
    static QByteArray encodeDocument(const decksync::Dataset& dataset);
    /// Audits a read of support acting as a user (no-op otherwise); false if the audit row
    /// could not be written (the data reads ignore that; the feed refuses).
    static bool auditRead(ServerStore& store, const ApiRequest& request, qint64 revision);

private:
    ServerStore& m_store;
    const ApiRequest& m_request;
    ServerStore::Transaction m_tx;
    StoredDataset m_stored;
    QString m_error;
};
