// SPDX-License-Identifier: MIT
#include "ui/serverlink.h"

#include "app/services/inspectorsession.h"
#include "app/services/serverclient.h"
#include "app/services/tokenstore.h"
#include "ui/connectdialog.h"

#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

using namespace Qt::StringLiterals;

ServerLink::ServerLink(InspectorSession* session, QStatusBar* statusBar, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_statusBar(statusBar)
    , m_window(window)
    , m_client(session->serverClient())
    , m_tokens(new TokenStore(this))
    , m_remoteChanged(new QPushButton(window))
{
    m_remoteChanged->setObjectName(u"remoteChanged"_s);
    m_remoteChanged->hide();
    statusBar->addPermanentWidget(m_remoteChanged);
    connect(m_remoteChanged, &QPushButton::clicked, this, &ServerLink::refetch);
    connect(session->operations(), &Operations::stateChanged, m_remoteChanged, [this](OperationState state) {
        m_remoteChanged->setEnabled(state != OperationState::Writing && state != OperationState::Pushing);
    });
    connect(m_tokens, &TokenStore::stored, this, [this](const QString&, bool inKeyring, const QString& why) {
        if (!inKeyring)
            m_statusBar->showMessage(tr("No system keyring (%1): the token is kept for this session only.").arg(why),
                                     10000);
    });
    connect(m_session, &InspectorSession::remoteChanged, this, [this](const QString& type, qint64 revision) {
        // "all": a device sent its whole state; otherwise the one type it synced.
        m_remoteChanged->setText(type == u"all"
                                     ? tr("Another device synced with the server (revision %1): fetch again").arg(revision)
                                     : tr("Another device changed the %1 on the server (revision %2): fetch again")
                                           .arg(type)
                                           .arg(revision));
        m_remoteChanged->show();
    });
    connect(m_session, &InspectorSession::serverConflict, this,
            [this](qint64 fetched, qint64 now, const QString& changes) {
                const QString text = tr("The server's data moved on since it was fetched (revision %1, now %2). Nothing "
                                        "was written.\n\nChanged on the server: %3\n\nFetch it again and re-run the "
                                        "sync? Your resolutions are kept.")
                                         .arg(fetched)
                                         .arg(now)
                                         .arg(changes.isEmpty() ? tr("(could not be fetched)") : changes);
                m_statusBar->showMessage(tr("The server changed since it was fetched; nothing was written."), 15000);
                // Window-modal and asynchronous, like every prompt of the inspector.
                auto* box = new QMessageBox(QMessageBox::Question, tr("The server changed"), text,
                                            QMessageBox::Yes | QMessageBox::No, m_window);
                box->setObjectName(QStringLiteral("serverChangedPrompt"));
                box->setAttribute(Qt::WA_DeleteOnClose);
                connect(box, &QMessageBox::buttonClicked, this, [this, box](QAbstractButton* button) {
                    if (box->standardButton(button) == QMessageBox::Yes)
                        refetch();
                });
                box->open();
            });
}

void ServerLink::askAndConnect(const QString& suggestedLocal)
{
    ConnectDialog dialog(m_client->connection(), suggestedLocal, m_tokens, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_client->setConnection(dialog.connection());
    connectTo(dialog.localPath());
}

void ServerLink::connectTo(const QString& localPath)
{
    if (m_beforeLoad && !m_beforeLoad())
        return;
    m_session->loadFromServer(localPath);
}

void ServerLink::refetch()
{
    m_remoteChanged->hide();
    m_statusBar->clearMessage(); // "nothing was written" and the like are about the last fetch
    if (const auto local = m_session->localSide(); local && (!m_beforeLoad || m_beforeLoad()))
        m_session->loadFromServer(local->path, nullptr, true);
}
