// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/itemrows.h"
#include "app/server/serverstore.h"

#include "engine/models.h"

#include <array>
#include <optional>
#include <vector>

/// The write of one request to the target user's data, in one transaction: begin() takes the
/// write lock and reads the head, decode() reads the items the request needs, and commit()
/// writes revision + 1 with what changed among them (with an audit row when support acts as
/// the user). Destroyed uncommitted: rolled back. Only what was read can change: a write that
/// read one type, or a batch that read the items it names, costs what it touches.
class DatasetWrite {
public:
    /// Ids by type (DataType's order), for a read of only those items.
    using Ids = std::array<std::vector<QByteArray>, 5>;

    DatasetWrite(ServerStore& store, const ApiRequest& request, RevisionKind kind, QString detail = {});

    bool begin();
    [[nodiscard]] qint64 revision() const { return m_head.revision; }
    [[nodiscard]] qint64 newRevision() const { return m_head.revision + 1; }
    [[nodiscard]] const StoredHead& head() const { return m_head; }
    /// The new revision's time: the request's, or 1 ms after the newest revision's when that
    /// is later (a slow request, another server's clock), so that revisions' times rise with
    /// their numbers and "the revision current at a time" is well defined. After begin().
    [[nodiscard]] decksync::Timestamp at() const { return m_at; }
    /// Every stored item (empty for a user who never wrote), with the document's last_sync and
    /// the members no model knows.
    bool decode(decksync::Dataset* out);
    /// The items of `type` only, with the document's own members.
    bool decode(decksync::Dataset* out, decksync::DataType type);
    /// Only the items named in `ids`, with the document's own members.
    bool decode(decksync::Dataset* out, const Ids& ids);
    /// Every stored row, not decoded: for a write that replaces the whole dataset.
    bool readAll();
    /// The rows of `type` that were read (none if it was not).
    [[nodiscard]] const std::vector<StoredItem>& readRows(decksync::DataType type) const;
    /// Writes `next`: of the items read, those it changed, added or left out (deleted); the
    /// types not read stay as they are.
    bool commit(const decksync::Dataset& next);
    /// The conflicts the engine resolved, recorded with the revision (before commit()).
    void setConflicts(qint64 conflicts) { m_conflicts = conflicts; }
    /// A sync's upload (gzip), kept with the revision for the fleet scan (before commit()).
    void setUpload(QByteArray gzipped) { m_upload = std::move(gzipped); }
    /// The response for the last failure of begin(), decode() or commit().
    [[nodiscard]] ApiResponse failure() const { return ApiResponse::storeError(m_error); }

    /// The SQL transaction, for handlers that store more in it (batches).
    [[nodiscard]] ServerStore& store() { return m_store; }
    [[nodiscard]] ItemRows& rows() { return m_rows; }

    /// The compact document of a dataset, as GET /data answers it.
    static QByteArray encodeDocument(const decksync::Dataset& dataset);
    /// Audits a read of support acting as a user (no-op otherwise); false if the audit row
    /// could not be written (the data reads ignore that; the feed refuses).
    static bool auditRead(ServerStore& store, const ApiRequest& request, qint64 revision);

private:
    bool decodeFrame(decksync::Dataset* out);
    /// Reads the rows of `type` (with `ids`, only those) and, with `out`, decodes them into it.
    bool read(decksync::DataType type, const std::vector<QByteArray>* ids, decksync::Dataset* out);

    ServerStore& m_store;
    const ApiRequest& m_request;
    RevisionKind m_kind;
    QString m_detail;
    qint64 m_conflicts = 0;
    QByteArray m_upload;
    ServerStore::Transaction m_tx;
    ItemRows m_rows;
    StoredHead m_head;
    decksync::Timestamp m_at;
    std::array<std::optional<std::vector<StoredItem>>, 5> m_read; ///< by type: the rows read
    std::array<bool, 5> m_whole{};                                ///< by type: every row was read
    QString m_error;
};
