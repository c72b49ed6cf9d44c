// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc 6.4 (run as C++17) fails on <compare>/<concepts> unless a Qt header came before.
#include <QAbstractTableModel>

#include "engine/itemfields.h"
#include "engine/models.h"
#include "engine/syncsnapshot.h"

#include <memory>
#include <vector>

/// The aligned field rows of one item: its members in the base (when the sync had one), on
/// the local side, the server side and in the result (the engine's, or the item's resolution
/// applied). A side's value that differs from the base's is marked "changed since the base".
/// The result column is editable; an accepted edit is only announced (fieldEdited): the
/// session applies it and calls setItem() again.
class FieldRowModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Columns { FieldColumn, BaseColumn, LocalColumn, ServerColumn, ResultColumn, NUM_COLUMNS };
    enum Roles {
        DiffersRole = Qt::UserRole, ///< bool: local != server
        ResultSourceRole,           ///< int, see ResultSource
        FieldNameRole,              ///< QString
        KnownFieldRole,             ///< bool: a model field (else a member carried through)
        FieldKindRole,              ///< int of decksync::FieldKind
        ChangedSinceBaseRole,       ///< bool, on the local and server columns
        HandEditedRole,             ///< bool, on the result column: a value typed by hand
    };
    enum ResultSource { EqualsBoth = 0, EqualsLocalOnly = 1, EqualsServerOnly = 2, EqualsNeither = 3 };

    explicit FieldRowModel(QObject* parent = nullptr);
    ~FieldRowModel() override;

    /// Shows row `typeRow` of `type` in `snapshot` (kept alive), with `resolution` applied to
    /// the result column (null: the engine's result). The resolution is read here only.
    void setItem(std::shared_ptr<const decksync::SyncSnapshot> snapshot, decksync::DataType type, int typeRow,
                 const decksync::ItemResolution* resolution);
    void clear();
    /// Header labels of the value columns (defaults "Base", "Local", "Server", "Result").
    void setSideLabels(const QString& local, const QString& server, const QString& result);
    void setBaseLabel(const QString& base);
    /// The item's sync had a base (else the base column has nothing to show).
    [[nodiscard]] bool hasBase() const { return m_hasBase; }

    [[nodiscard]] bool hasItem() const { return m_snapshot != nullptr; }
    [[nodiscard]] decksync::DataType dataType() const { return m_type; }
    [[nodiscard]] int typeRow() const { return m_typeRow; }
    /// Whether the result has an item (then its column is editable).
    [[nodiscard]] bool resultExists() const { return m_resultExists; }
    [[nodiscard]] const std::vector<decksync::FieldRow>& fieldRows() const { return m_rows; }
    /// The row of `field`, or -1.
    [[nodiscard]] int rowOf(const QString& field) const;
    /// Whether `text` is a valid value for the field of `row`; else why not. `stored`: the value
    /// as the item will hold it (a time in UTC, say).
    bool checkEdit(int row, const QString& text, QString* why, QString* stored = nullptr) const;
    /// How an edited text becomes a cell: "null" means null for nullable fields.
    [[nodiscard]] static decksync::FieldCell cellFromText(const decksync::FieldSpec& spec, const QString& text);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    /// An edit of the result column passed validation; nothing has changed yet.
    void fieldEdited(const QString& field, const decksync::FieldCell& cell);
    void editRejected(const QString& field, const QString& reason);
    /// An accepted edit is stored in another form than typed (`11:30+02:00` as `09:30:00Z`).
    void editNormalized(const QString& field, const QString& typed, const QString& stored);

private:
    [[nodiscard]] bool isOwnIndex(const QModelIndex& index) const
    {
        return index.isValid() && index.model() == this && index.row() < rowCount() && index.column() < NUM_COLUMNS;
    }
    [[nodiscard]] QVariant cellData(const decksync::FieldRow& f, int column, int role) const;
    [[nodiscard]] static int resultSource(const decksync::FieldRow& f);

    std::shared_ptr<const decksync::SyncSnapshot> m_snapshot;
    std::vector<bool> m_handEdited; ///< per row: the resolution types the result by hand
    decksync::DataType m_type = decksync::DataType::Decks;
    int m_typeRow = -1;
    std::vector<decksync::FieldRow> m_rows;
    bool m_resultExists = false;
    bool m_hasBase = false;
    QString m_baseLabel;
    QString m_localLabel;
    QString m_serverLabel;
    QString m_resultLabel;
};
