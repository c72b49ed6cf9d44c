// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/serverclient.h"

#include <QAbstractTableModel>
#include <QList>

/// The user's revisions on the server, newest first, in support's words: when, who, from
/// which device, what kind of write, and what it changed.
class ServerRevisionModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Revision, Time, WrittenBy, Device, What, Changes, Conflicts, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setRevisions(const QList<ServerRevision>& revisions);
    [[nodiscard]] const ServerRevision& revision(int row) const { return m_revisions.at(row); }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// "Synced decks", "Replaced all data", "Restored revision 3", ...
    static QString whatText(const ServerRevision& r);
    /// "1 added, 2 changed", or "no change".
    static QString changesText(const ServerRevision& r);

private:
    QList<ServerRevision> m_revisions;
};
