// SPDX-License-Identifier: MIT
#include "ui/applydialog.h"

#include "app/services/inspectorsession.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

QWidget* pathRow(QLineEdit* edit, QWidget* parent)
{
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(QObject::tr("Browse…"), row);
    QObject::connect(browse, &QPushButton::clicked, row, [edit, row] {
        const QString path = QFileDialog::getSaveFileName(row, QObject::tr("Save as"), edit->text(),
                                                          QObject::tr("JSON datasets (*.json);;All files (*)"));
        if (!path.isEmpty())
            edit->setText(path);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

} // namespace

ApplyDialog::ApplyDialog(InspectorSession* session, QWidget* parent)
    : QDialog(parent)
    , m_serverOut(new QLineEdit(this))
    , m_localOut(new QLineEdit(this))
    , m_summary(new QTableWidget(5, 4, this))
    , m_problems(new QPlainTextEdit(this))
    , m_changes(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Apply the sync"));
    setObjectName(u"applyDialog"_s);
    m_serverOut->setObjectName(u"serverOut"_s);
    m_localOut->setObjectName(u"localOut"_s);
    const bool remote = session->serverIsRemote();
    if (const auto server = session->serverSide())
        m_serverOut->setText(server->path);
    if (const auto local = session->localSide())
        m_localOut->setText(local->path);

    m_summary->setObjectName(u"applySummary"_s);
    m_summary->setHorizontalHeaderLabels(
        {tr("Type"), tr("Server: before → after"), tr("Device: before → after"), tr("Resolved by hand")});
    m_summary->verticalHeader()->hide();
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    int row = 0;
    for (DataType t : AllDataTypes) {
        m_summary->setItem(row, 0, new QTableWidgetItem(QString::fromUtf8(dataTypeName(t))));
        for (int c = 1; c < 4; ++c)
            m_summary->setItem(row, c, new QTableWidgetItem(tr("counting…")));
        ++row;
    }
    m_summary->resizeColumnsToContents();
    m_summary->horizontalHeader()->setStretchLastSection(true);

    m_changes->setObjectName(u"applyChanges"_s);
    m_changes->setReadOnly(true);
    m_changes->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_changes->setPlaceholderText(tr("Listing what changes, item by item…"));
    m_problems->setObjectName(u"applyProblems"_s);
    m_problems->setReadOnly(true);
    m_problems->hide();

    auto* form = new QFormLayout;
    if (remote) {
        // The server is a live server: its new state is sent, not saved as a file.
        m_serverOut->setReadOnly(true);
        form->addRow(tr("Server:"), m_serverOut);
    } else {
        form->addRow(tr("New server state:"), pathRow(m_serverOut, this));
    }
    form->addRow(tr("New device state:"), pathRow(m_localOut, this));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_apply = buttons->addButton(tr("&Apply"), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(u"applyButton"_s);
    m_apply->setEnabled(false); // until the counts say that every resolution applies
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(remote ? tr("The new state is sent to the server, which takes it only if nobody "
                                             "changed it since it was fetched. Then the device's file is written and "
                                             "the run is recorded in the history.")
                                        : tr("Both files are written completely beside their targets, the run is "
                                             "recorded in the history, and only then are they renamed into place."),
                                 this));
    layout->addWidget(m_summary);
    layout->addWidget(new QLabel(tr("What changes, item by item:"), this));
    layout->addWidget(m_changes, 1);
    layout->addWidget(m_problems);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(760, 560);

    session->preview(this, [this](const ApplyPreview& preview) { showPreview(preview); });
}

void ApplyDialog::showPreview(const ApplyPreview& preview)
{
    for (std::size_t t = 0; t < std::size(AllDataTypes); ++t) {
        const int row = static_cast<int>(t);
        m_summary->item(row, 1)->setText(u"%1 → %2"_s.arg(preview.serverBefore[t]).arg(preview.after[t]));
        m_summary->item(row, 2)->setText(u"%1 → %2"_s.arg(preview.localBefore[t]).arg(preview.after[t]));
        m_summary->item(row, 3)->setText(QString::number(preview.resolvedByHand[t]));
    }
    m_summary->resizeColumnsToContents();
    QString problems;
    for (const std::string& p : preview.problems)
        problems += QString::fromStdString(p) + u"\n"_s;
    const auto words = [](const std::vector<ItemChange>& changes) -> QString {
        if (changes.empty())
            return u" "_s + tr("nothing changes.") + u"\n"_s;
        return u"\n  "_s + QString::fromStdString(describeItemChanges(changes)).trimmed().replace(u'\n', u"\n  "_s)
               + u"\n"_s;
    };
    m_changes->setPlainText(tr("On the server:") + words(preview.serverChanges) + u"\n"_s + tr("On the device:")
                            + words(preview.localChanges));
    m_problems->setPlainText(problems);
    m_problems->setVisible(!problems.isEmpty());
    m_apply->setEnabled(preview.problems.empty());
    m_ready = true;
    Q_EMIT previewShown();
}

QString ApplyDialog::serverOut() const { return m_serverOut->text(); }
QString ApplyDialog::localOut() const { return m_localOut->text(); }
