// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class InspectorSession;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;

/// Shows what Apply will write (per type: items before and after on each side, and any
/// resolution that cannot be applied) and where; accepting starts the write.
class ApplyDialog : public QDialog {
    Q_OBJECT
public:
    ApplyDialog(InspectorSession* session, QWidget* parent = nullptr);

    [[nodiscard]] QString serverOut() const;
    [[nodiscard]] QString localOut() const;

private:
    QLineEdit* m_serverOut;
    QLineEdit* m_localOut;
    QTableWidget* m_summary;
    QPlainTextEdit* m_problems;
};
