// SPDX-License-Identifier: MIT
#include "ui/serverhistorydialog.h"

#include "app/services/serverhistory.h"
#include "ui/revisionitemmodel.h"
#include "ui/serverrevisionmodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

ServerHistoryDialog::ServerHistoryDialog(ServerHistory* history, const QString& who, QWidget* parent)
    : QDialog(parent)
    , m_history(history)
    , m_model(new ServerRevisionModel(this))
    , m_list(new QTreeView(this))
    , m_changes(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_compare(new QPushButton(tr("&Show changes"), this))
    , m_restore(new QPushButton(tr("&Restore this revision…"), this))
    , m_items(new RevisionItemModel(this))
    , m_itemList(new QTreeView(this))
    , m_restoreItem(new QPushButton(tr("Restore the &item as it was…"), this))
{
    setWindowTitle(tr("History on the server: %1").arg(who));
    setObjectName(u"serverHistoryDialog"_s);
    m_list->setObjectName(u"revisionList"_s);
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_changes->setObjectName(u"revisionChanges"_s);
    m_changes->setReadOnly(true);
    m_changes->setPlaceholderText(tr("Choose a revision to see what it changed, or two to compare them."));
    m_status->setObjectName(u"historyStatus"_s);
    m_status->setWordWrap(true);
    m_compare->setObjectName(u"compareRevisions"_s);
    m_compare->setToolTip(tr("One revision: what it changed. Two: what differs from the older to the newer."));
    m_restore->setObjectName(u"restoreRevision"_s);
    m_restore->setToolTip(tr("Make the user's data what it was at this revision, as a new revision"));

    m_itemList->setObjectName(u"revisionItems"_s);
    m_itemList->setModel(m_items);
    m_itemList->setRootIsDecorated(false);
    m_itemList->setUniformRowHeights(true);
    m_itemList->header()->setSectionResizeMode(RevisionItemModel::Type, QHeaderView::ResizeToContents);
    m_itemList->header()->resizeSection(RevisionItemModel::Item, 170);
    m_itemList->header()->setStretchLastSection(true); // what happened, as wide as there is room
    m_restoreItem->setObjectName(u"restoreItem"_s);
    m_restoreItem->setToolTip(tr("Only this item becomes as it was at the older revision; the rest stays as it is"));
    m_restoreItem->setEnabled(false);
    auto* itemPane = new QWidget(this);
    auto* itemLayout = new QVBoxLayout(itemPane);
    itemLayout->setContentsMargins(0, 0, 0, 0);
    itemLayout->addWidget(m_itemList, 1);
    itemLayout->addWidget(m_restoreItem, 0, Qt::AlignRight);
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_changes);
    bottom->addWidget(itemPane);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    connect(m_restoreItem, &QPushButton::clicked, this, &ServerHistoryDialog::restoreItem);
    connect(m_itemList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { m_restoreItem->setEnabled(current.isValid() && m_comparedFrom >= 0); });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_compare, QDialogButtonBox::ActionRole);
    buttons->addButton(m_restore, QDialogButtonBox::ActionRole);
    QPushButton* refresh = buttons->addButton(tr("Re&fresh"), QDialogButtonBox::ActionRole);
    connect(refresh, &QPushButton::clicked, m_history, &ServerHistory::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_compare, &QPushButton::clicked, this, &ServerHistoryDialog::compareSelected);
    connect(m_restore, &QPushButton::clicked, this, &ServerHistoryDialog::restoreSelected);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ServerHistoryDialog::selectionChanged);
    connect(m_history, &ServerHistory::revisionsChanged, this, [this] {
        m_model->setRevisions(m_history->revisions());
        m_status->setText(m_history->revisions().isEmpty() ? tr("This user has no data on the server yet.") : QString());
        selectionChanged();
    });
    connect(m_history, &ServerHistory::compared, this,
            [this](qint64 from, qint64 to, const QString& text, const QList<RevisionItemChange>& items) {
                m_changes->setPlainText(tr("From revision %1 to revision %2:\n%3").arg(from).arg(to).arg(text));
                m_comparedFrom = from;
                m_items->setChanges(items);
                m_restoreItem->setText(tr("Restore the &item as it was at revision %1…").arg(from));
                m_restoreItem->setEnabled(false);
            });
    connect(m_history, &ServerHistory::failed, this, [this](const QString& message) { m_status->setText(message); });
    connect(m_history, &ServerHistory::moved, this, [this](qint64 newest) {
        m_status->setText(tr("Nothing was restored: another device wrote revision %1 meanwhile. The list shows it "
                             "now; choose again.")
                              .arg(newest));
    });
    connect(m_history, &ServerHistory::restored, this, [this](qint64 revision, qint64 newRevision) {
        m_status->setText(tr("Revision %1 was restored as revision %2.").arg(revision).arg(newRevision));
        Q_EMIT restored(newRevision);
    });
    selectionChanged();
    resize(900, 560);
    m_history->refresh();
}

QList<int> ServerHistoryDialog::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& i : m_list->selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void ServerHistoryDialog::selectionChanged()
{
    const QList<int> rows = selectedRows();
    m_compare->setEnabled(rows.size() == 2 || (rows.size() == 1 && m_model->revision(rows[0]).revision > 0));
    m_restore->setEnabled(rows.size() == 1 && rows[0] != 0); // the newest is what the user has
    m_compare->setText(rows.size() == 2 ? tr("&Compare the two") : tr("&Show changes"));
}

void ServerHistoryDialog::compareSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() == 1) {
        const qint64 r = m_model->revision(rows[0]).revision;
        m_history->compare(r - 1, r);
    } else if (rows.size() == 2) {
        // Rows are newest first: the lower row is the older revision.
        m_history->compare(m_model->revision(rows[1]).revision, m_model->revision(rows[0]).revision);
    }
}

void ServerHistoryDialog::restoreSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1)
        return;
    const ServerRevision& r = m_model->revision(rows[0]);
    const QString when = QLocale().toString(r.at.toLocalTime(), QLocale::ShortFormat);
    confirm(tr("Restore revision %1?").arg(r.revision),
            tr("The user's data on the server becomes what it was at revision %1 (%2), as a new revision. Their "
               "devices get it at their next sync. Nothing is lost: today's data stays in this history and can be "
               "restored in turn.")
                .arg(r.revision)
                .arg(when),
            [this, revision = r.revision] { m_history->restore(revision); });
}

void ServerHistoryDialog::restoreItem()
{
    const QModelIndex current = m_itemList->currentIndex();
    if (!current.isValid() || m_comparedFrom < 0)
        return;
    const RevisionItemChange c = m_items->change(current.row());
    const QString name = c.label.isEmpty() ? c.id : c.label;
    confirm(tr("Restore \"%1\"?").arg(name),
            tr("Only the %1 item \"%2\" becomes as it was at revision %3 (or is removed, if it was not there "
               "then), as a new revision; the rest of the user's data stays as it is. Nothing is lost: today's "
               "data stays in this history.")
                .arg(QString::fromLatin1(decksync::dataTypeName(c.type)), name)
                .arg(m_comparedFrom),
            [this, c, revision = m_comparedFrom] { m_history->restoreItem(revision, c.type, c.id); });
}

void ServerHistoryDialog::confirm(const QString& title, const QString& question, std::function<void()> yes)
{
    auto* box = new QMessageBox(QMessageBox::Question, title, question, QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(u"restorePrompt"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(tr("&Restore"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [box, yes = std::move(yes)](QAbstractButton* button) {
        if (box->standardButton(button) == QMessageBox::Yes)
            yes();
    });
    box->open();
}
