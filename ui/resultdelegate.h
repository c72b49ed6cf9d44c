// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

#include <functional>

class FieldRowModel;

/// Edits the result column of a FieldRowModel in a line edit that checks the value as it is
/// typed: Enter on a value the field cannot hold keeps the editor open with the text, and
/// `rejected` says why (a plain delegate closes it and loses the text).
class ResultDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    ResultDelegate(FieldRowModel* model, QObject* parent = nullptr);

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

Q_SIGNALS:
    /// Enter was pressed on a value the field refuses; the editor stays open.
    void rejected(QWidget* editor, const QString& field, const QString& reason) const;

private:
    FieldRowModel* m_model;
};
