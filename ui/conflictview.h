// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc 6.4 (run as C++17) fails on <compare> unless a Qt header came before.
#include <QWidget>

#include "engine/resolution.h"
#include "engine/syncsnapshot.h"


#include <memory>
#include <optional>

class ContentDiffView;
class FieldRowModel;
class InspectorSession;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

/// One item side by side: Local | Server | Result, one row per field, all drawn from the
/// same aligned field rows; the engine's decision and its diagnostics beside it; buttons to
/// resolve the item or one field by hand, a note on the item for the case, and a line diff of
/// long text fields.
class ConflictView : public QWidget {
    Q_OBJECT
public:
    explicit ConflictView(InspectorSession* session, QWidget* parent = nullptr);
    ~ConflictView() override;

    /// Shows row `typeRow` of `type` in the session's snapshot; -1 shows nothing.
    void showItem(decksync::DataType type, int typeRow);
    void refresh();
    [[nodiscard]] bool hasItem() const { return m_row >= 0 && m_snapshot; }
    [[nodiscard]] decksync::DataType currentType() const { return m_type; }
    [[nodiscard]] QTableView* fieldTable() const { return m_fields; }
    [[nodiscard]] FieldRowModel* fieldModel() const { return m_model; }

    void keepLocal();
    void keepServer();
    void useEngine();
    /// Keep both (a deck on both sides): the server's deck stays, and the device's version is
    /// kept as a new deck, with a title that names the copy and its time. One undo step.
    void keepBoth();
    /// Takes the selected field from one side into the result.
    void takeField(decksync::Side side);
    [[nodiscard]] QLineEdit* noteEdit() const { return m_note; }

Q_SIGNALS:
    /// The person asked for every run and server revision that touched the shown item.
    void itemHistoryRequested(decksync::DataType type, const decksync::Uuid& id);

    void message(const QString& text);

private:
    /// Resolves the item as `base`'s version (empty: the engine's result), no field set.
    void setBase(std::optional<decksync::Side> base, const QString& description);
    void updateDiff();
    [[nodiscard]] decksync::ItemResolution currentResolution() const;
    /// Keeps what is typed in the note box as the shown item's note (one undo step while typing).
    void commitNote();
    /// Shows the item's note, unless the box holds it already (while it is typed).
    void showNote();
    [[nodiscard]] QString sideLabel(const char* side, decksync::Side which) const;
    /// "Base, agreed <its last sync>", or why the item has none there.
    [[nodiscard]] QString baseLabel() const;

    InspectorSession* m_session;
    std::shared_ptr<const decksync::SyncSnapshot> m_snapshot;
    decksync::DataType m_type = decksync::DataType::Decks;
    int m_row = -1;
    decksync::Uuid m_id;
    QLabel* m_title;
    QLabel* m_decision;
    QLabel* m_diagnostics;
    QTableView* m_fields;
    FieldRowModel* m_model;
    ContentDiffView* m_diff;
    QPushButton* m_keepLocal;
    QPushButton* m_keepServer;
    QPushButton* m_useEngine;
    QPushButton* m_keepBoth;
    QPushButton* m_takeLocalField;
    QPushButton* m_takeServerField;
    QLineEdit* m_note;
    /// The resolution the field table shows: a change of the note alone leaves the table be.
    std::optional<decksync::ItemResolution> m_shownResolution;
    QPushButton* m_history;
};
