// SPDX-License-Identifier: MIT
#include "ui/itemhistorydialog.h"

#include "app/services/inspectorsession.h"
#include "app/services/itemhistory.h"
#include "ui/itemeventmodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

/// A field's value for the table: "(not there)" for an absent one.
QString cellText(const FieldCell& cell)
{
    return cell.isAbsent() ? QObject::tr("(not there)") : QString::fromStdString(cell.display());
}

} // namespace

ItemHistoryDialog::ItemHistoryDialog(ItemHistory* history, InspectorSession* session, const QString& label,
                                     QWidget* parent)
    : QDialog(parent)
    , m_history(history)
    , m_session(session)
    , m_label(label)
    , m_model(new ItemEventModel(this))
    , m_list(new QTreeView(this))
    , m_details(new QTextBrowser(this))
    , m_status(new QLabel(this))
    , m_useBefore(new QPushButton(tr("Use the version &before this change"), this))
    , m_useAfter(new QPushButton(tr("Use the version &after this change"), this))
{
    setObjectName(u"itemHistoryDialog"_s);
    setWindowTitle(tr("History of %1").arg(label));
    m_list->setObjectName(u"itemEvents"_s);
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setAllColumnsShowFocus(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setStretchLastSection(true);
    m_details->setObjectName(u"itemEventDetails"_s);
    m_status->setObjectName(u"itemHistoryStatus"_s);
    m_status->setWordWrap(true);
    m_useBefore->setObjectName(u"useVersionBefore"_s);
    m_useAfter->setObjectName(u"useVersionAfter"_s);
    m_useBefore->setToolTip(tr("The item's result becomes what it was just before this change (Apply writes it)"));
    m_useAfter->setToolTip(tr("The item's result becomes what this change made of it (Apply writes it)"));
    m_useBefore->setEnabled(false);
    m_useAfter->setEnabled(false);
    connect(m_useBefore, &QPushButton::clicked, this, [this] { useSelected(false); });
    connect(m_useAfter, &QPushButton::clicked, this, [this] { useSelected(true); });

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_list);
    splitter->addWidget(m_details);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_useBefore, QDialogButtonBox::ActionRole);
    buttons->addButton(m_useAfter, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(900, 560);

    connect(m_history, &ItemHistory::eventsChanged, this, &ItemHistoryDialog::eventsChanged);
    connect(m_history, &ItemHistory::failed, this, [this](const QString& message) {
        m_problem = m_problem.isEmpty() ? message : m_problem + u'\n' + message;
        eventsChanged();
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ItemHistoryDialog::selectionChanged);
    connect(this, &QDialog::finished, m_history, &ItemHistory::cancel);
    eventsChanged();
}

void ItemHistoryDialog::eventsChanged()
{
    // The chosen change stays chosen when more come (the server's answer after the runs).
    const QModelIndex current = m_list->currentIndex();
    std::optional<ItemEvent> chosen;
    if (current.isValid())
        chosen = m_model->event(current.row());
    m_model->setEvents(m_history->events());
    for (int c = 0; c < ItemEventModel::Change; ++c)
        m_list->resizeColumnToContents(c);
    int keep = 0;
    for (int r = 0; chosen && r < m_model->rowCount(); ++r) {
        const ItemEvent& e = m_model->event(r);
        if (e.source == chosen->source && e.number == chosen->number && e.side == chosen->side)
            keep = r;
    }
    if (m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(keep, 0));
    QString text;
    if (m_history->isLoading())
        text = tr("Reading…");
    else if (m_model->rowCount() == 0)
        text = m_history->hasServer() ? tr("No run on this computer and no server revision changed this item.")
                                      : tr("No run on this computer changed this item. Connect to the server to see "
                                           "its revisions too.");
    else
        text = (m_model->rowCount() == 1 ? tr("1 change.") : tr("%1 changes, newest first.").arg(m_model->rowCount()))
               + (m_history->hasServer() ? QString() : tr(" Connect to the server to see its revisions too."));
    if (!m_problem.isEmpty())
        text += u'\n' + m_problem;
    m_status->setText(text);
    selectionChanged();
}

void ItemHistoryDialog::selectionChanged()
{
    const QModelIndex current = m_list->currentIndex();
    m_useBefore->setEnabled(current.isValid());
    m_useAfter->setEnabled(current.isValid());
    if (!current.isValid()) {
        m_details->clear();
        return;
    }
    const ItemEvent& e = m_model->event(current.row());
    const Decoded<std::vector<FieldEdit>> edits = fieldEdits(m_history->type(), e.before, e.after);
    QString html = u"<p><b>%1</b>, %2: %3</p>"_s.arg(ItemEventModel::whereText(e).toHtmlEscaped(),
                                                    ItemEventModel::copyText(e).toHtmlEscaped(), e.what.toHtmlEscaped());
    if (!edits.ok()) {
        html += u"<p>%1</p>"_s.arg(QString::fromStdString(edits.error().toString()).toHtmlEscaped());
    } else if (!edits.value().empty()) {
        html += u"<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr><th>%1</th><th>%2</th><th>%3</th></tr>"_s.arg(
            tr("Field"), tr("Before"), tr("After"));
        for (const FieldEdit& f : edits.value())
            html += u"<tr><td>%1</td><td style=\"white-space:pre-wrap\">%2</td>"
                    u"<td style=\"white-space:pre-wrap\">%3</td></tr>"_s.arg(QString::fromStdString(f.field).toHtmlEscaped(),
                                                                       cellText(f.before).toHtmlEscaped(),
                                                                       cellText(f.after).toHtmlEscaped());
        html += u"</table>"_s;
    }
    m_details->setHtml(html);
}

void ItemHistoryDialog::useSelected(bool after)
{
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid())
        return;
    const ItemEvent& e = m_model->event(current.row());
    const QString when = e.at.toUTC().toString(u"yyyy-MM-dd HH:mm"_s);
    const QString description = after ? tr("Use %1 as %2 left it").arg(m_label, ItemEventModel::whereText(e))
                                      : tr("Use %1 as it was before %2").arg(m_label, ItemEventModel::whereText(e));
    const Outcome<> used = m_session->useVersion(m_history->type(), m_history->id(), after ? e.after : e.before,
                                                 description);
    m_status->setText(used ? tr("The item's result is now its version of %1 (%2). Undo takes it back; Apply writes it.")
                                 .arg(when, after ? tr("after the change") : tr("before the change"))
                           : used.error());
}
