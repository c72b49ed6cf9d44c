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

std::size_t countOf(const Dataset& d, DataType type)
{
    switch (type) {
    case DataType::Decks: return d.decks.size();
    case DataType::Achievements: return d.achievements.size();
    case DataType::Progress: return d.progress.size();
    case DataType::Starred: return d.starred.size();
    case DataType::Preferences: break;
    }
    return d.preferences ? 1 : 0;
}

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
{
    setWindowTitle(tr("Apply the sync"));
    setObjectName(u"applyDialog"_s);
    m_serverOut->setObjectName(u"serverOut"_s);
    m_localOut->setObjectName(u"localOut"_s);
    if (const auto server = session->serverSide())
        m_serverOut->setText(server->path);
    if (const auto local = session->localSide())
        m_localOut->setText(local->path);

    const ApplyPreview preview = session->preview();
    const auto snapshot = session->snapshot();
    m_summary->setObjectName(u"applySummary"_s);
    m_summary->setHorizontalHeaderLabels(
        {tr("Type"), tr("Server: before → after"), tr("Local: before → after"), tr("Resolved by hand")});
    m_summary->verticalHeader()->hide();
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    int row = 0;
    for (DataType t : AllDataTypes) {
        std::size_t manual = 0;
        for (const auto& [key, res] : session->resolutions().items())
            manual += key.type == t;
        const QStringList cells{
            QString::fromUtf8(dataTypeName(t)),
            u"%1 → %2"_s.arg(snapshot ? countOf(snapshot->server(), t) : 0).arg(countOf(preview.server, t)),
            u"%1 → %2"_s.arg(snapshot ? countOf(snapshot->local(), t) : 0).arg(countOf(preview.local, t)),
            QString::number(manual)};
        for (int c = 0; c < cells.size(); ++c)
            m_summary->setItem(row, c, new QTableWidgetItem(cells[c]));
        ++row;
    }
    m_summary->resizeColumnsToContents();
    m_summary->horizontalHeader()->setStretchLastSection(true);

    m_problems->setObjectName(u"applyProblems"_s);
    m_problems->setReadOnly(true);
    QString problems;
    for (const std::string& p : preview.problems)
        problems += QString::fromStdString(p) + u"\n"_s;
    m_problems->setPlainText(problems);
    m_problems->setVisible(!problems.isEmpty());

    auto* form = new QFormLayout;
    form->addRow(tr("New server state:"), pathRow(m_serverOut, this));
    form->addRow(tr("New local state:"), pathRow(m_localOut, this));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* apply = buttons->addButton(tr("&Apply"), QDialogButtonBox::AcceptRole);
    apply->setObjectName(u"applyButton"_s);
    apply->setEnabled(preview.problems.empty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Both files are written completely beside their targets, the run is recorded in "
                                    "the history, and only then are they renamed into place."),
                                 this));
    layout->addWidget(m_summary);
    layout->addWidget(m_problems);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(720, 420);
}

QString ApplyDialog::serverOut() const { return m_serverOut->text(); }
QString ApplyDialog::localOut() const { return m_localOut->text(); }
