// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class InspectorSession;
class QLabel;
class QLineEdit;
class QPushButton;
struct ApplyPreview;
class QPlainTextEdit;
class QTableWidget;

/// Shows what Apply will write (per type: items before and after on each side, and any
/// resolution that cannot be applied) and where; accepting starts the write. The counts are
/// made off the GUI thread: the dialog opens at once and fills in when they arrive.
class ApplyDialog : public QDialog {
    Q_OBJECT
public:
    ApplyDialog(InspectorSession* session, QWidget* parent = nullptr);

    [[nodiscard]] QString serverOut() const;
    [[nodiscard]] QString localOut() const;
    /// The counts are shown (and Apply is enabled unless a resolution cannot be applied).
    [[nodiscard]] bool isReady() const { return m_ready; }

Q_SIGNALS:
    void previewShown();

private:
    void showPreview(const ApplyPreview& preview);

    bool m_ready = false;
    QPushButton* m_apply = nullptr;
    QLineEdit* m_serverOut;
    QLineEdit* m_localOut;
    QTableWidget* m_summary;
    QPlainTextEdit* m_problems;
    QPlainTextEdit* m_changes; ///< what happens to which item, by name
};
