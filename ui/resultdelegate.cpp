// SPDX-License-Identifier: MIT
#include "ui/resultdelegate.h"

#include "ui/fieldrowmodel.h"

#include <QLineEdit>
#include <QValidator>

namespace {

/// Acceptable only what the field can hold; anything else is Intermediate (typing goes on).
/// Qt's delegate calls fixup() when Enter is pressed on input that is not acceptable, and then
/// keeps the editor open: that is where the reason is told.
class FieldValidator final : public QValidator {
public:
    FieldValidator(const FieldRowModel* model, int row, std::function<void(const QString&)> refused, QObject* parent)
        : QValidator(parent)
        , m_model(model)
        , m_row(row)
        , m_refused(std::move(refused))
    {
    }

    State validate(QString& input, int&) const override
    {
        return m_model->checkEdit(m_row, input, nullptr) ? Acceptable : Intermediate;
    }

    void fixup(QString& input) const override
    {
        QString why;
        if (!m_model->checkEdit(m_row, input, &why))
            m_refused(why);
    }

private:
    const FieldRowModel* m_model;
    int m_row;
    std::function<void(const QString&)> m_refused;
};

} // namespace

ResultDelegate::ResultDelegate(FieldRowModel* model, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_model(model)
{
}

QWidget* ResultDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QWidget* editor = QStyledItemDelegate::createEditor(parent, option, index);
    if (auto* line = qobject_cast<QLineEdit*>(editor)) {
        const QString field = index.data(FieldRowModel::FieldNameRole).toString();
        line->setValidator(new FieldValidator(
            m_model, index.row(), [this, line, field](const QString& why) { Q_EMIT rejected(line, field, why); }, line));
    }
    return editor;
}
