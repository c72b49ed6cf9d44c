// SPDX-License-Identifier: MIT
#include "ui/connectdialog.h"

#include "app/services/tokenstore.h"
#include "ui/userdirectorymodel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSysInfo>
#include <QTimer>
#include <QTreeView>
#include <QUuid>

using namespace Qt::StringLiterals;

ConnectDialog::ConnectDialog(const ServerConnection& current, const QString& localPath, TokenStore* tokens,
                             QWidget* parent)
    : QDialog(parent)
    , m_url(new QLineEdit(current.baseUrl.isValid() ? current.baseUrl.toString() : u"http://127.0.0.1:8787"_s, this))
    , m_token(new QLineEdit(current.token, this))
    , m_actAs(new QLineEdit(current.actAs, this))
    , m_local(new QLineEdit(localPath, this))
    , m_remember(new QCheckBox(tr("Remember the token (system keyring; without one, for this session only)"), this))
    , m_tokens(tokens)
    , m_deviceId(current.deviceId.isEmpty()
                     ? u"inspector-"_s + QSysInfo::machineHostName() + u'-' + QUuid::createUuid().toString(QUuid::Id128).left(8)
                     : current.deviceId)
    , m_directory(new ServerClient(this))
    , m_users(new UserDirectoryModel(this))
    , m_userList(new QTreeView(this))
    , m_userStatus(new QLabel(this))
{
    setWindowTitle(tr("Connect to a server"));
    setObjectName(u"connectDialog"_s);
    m_url->setObjectName(u"serverUrl"_s);
    m_token->setObjectName(u"serverToken"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_actAs->setObjectName(u"actAs"_s);
    m_actAs->setPlaceholderText(tr("support tokens only: the user's email"));
    m_local->setObjectName(u"localFile"_s);

    auto* localRow = new QWidget(this);
    auto* localLayout = new QHBoxLayout(localRow);
    localLayout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(tr("Browse…"), localRow);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("The device's dataset"), m_local->text(),
                                                          tr("JSON datasets (*.json);;All files (*)"));
        if (!path.isEmpty())
            m_local->setText(path);
    });
    localLayout->addWidget(m_local, 1);
    localLayout->addWidget(browse);

    // Support finds the user in the server's directory rather than typing the email.
    auto* userRow = new QWidget(this);
    auto* userLayout = new QHBoxLayout(userRow);
    userLayout->setContentsMargins(0, 0, 0, 0);
    auto* find = new QPushButton(tr("&Find users"), userRow);
    find->setObjectName(u"findUsers"_s);
    find->setToolTip(tr("List the users whose email holds what is typed (support tokens only)"));
    userLayout->addWidget(m_actAs, 1);
    userLayout->addWidget(find);
    m_userList->setObjectName(u"userList"_s);
    m_userList->setModel(m_users);
    m_userList->setRootIsDecorated(false);
    m_userList->setUniformRowHeights(true);
    m_userList->header()->setSectionResizeMode(UserDirectoryModel::Email, QHeaderView::Stretch);
    m_userList->header()->setStretchLastSection(false);
    m_userList->setMinimumHeight(140);
    m_userList->hide();
    m_userStatus->setObjectName(u"userStatus"_s);
    m_userStatus->setWordWrap(true);
    m_userStatus->hide();
    connect(find, &QPushButton::clicked, this, &ConnectDialog::findUsers);
    auto* typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(300);
    connect(typing, &QTimer::timeout, this, &ConnectDialog::findUsers);
    connect(m_actAs, &QLineEdit::textEdited, this, [this, typing] {
        if (m_userList->isVisible())
            typing->start(); // once the list is open, it follows the typing
    });
    connect(m_userList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    m_actAs->setText(m_users->user(current.row()).email);
            });
    connect(m_userList, &QTreeView::doubleClicked, this, &ConnectDialog::validate);
    connect(m_directory, &ServerClient::usersListed, this,
            [this](quint64 call, const QList<DirectoryUser>& users, bool more) {
                if (call != m_search)
                    return;
                m_users->setUsers(users);
                m_userList->show();
                m_userStatus->setVisible(users.isEmpty() || more);
                m_userStatus->setText(users.isEmpty() ? tr("No user's email holds \"%1\".").arg(m_actAs->text())
                                                      : tr("The first %1 users are shown: type more of the email.")
                                                            .arg(users.size()));
            });
    connect(m_directory, &ServerClient::failed, this, [this](quint64 call, const QString& message, int status) {
        if (call != m_search)
            return;
        m_userStatus->setText(status == 403
                                  ? tr("Only a support token can list the users; type the email instead.")
                                  : tr("The users could not be listed: %1").arg(message));
        m_userStatus->show();
    });

    auto* form = new QFormLayout;
    form->addRow(tr("Server:"), m_url);
    form->addRow(tr("Token:"), m_token);
    form->addRow(tr("Inspect user:"), userRow);
    form->addRow(QString(), m_userList);
    form->addRow(QString(), m_userStatus);
    form->addRow(tr("Local dataset:"), localRow);
    m_remember->setObjectName(u"rememberToken"_s);
    m_remember->setChecked(true);
    // Offer a token kept earlier for this server and user.
    connect(m_tokens, &TokenStore::tokenRead, this, [this](const QString& key, const QString& token) {
        if (key == tokenKey(connection()) && m_token->text().isEmpty())
            m_token->setText(token);
    });
    auto lookUp = [this] {
        if (m_token->text().isEmpty())
            m_tokens->read(tokenKey(connection()));
    };
    connect(m_url, &QLineEdit::editingFinished, this, lookUp);
    connect(m_actAs, &QLineEdit::editingFinished, this, lookUp);
    lookUp();
    auto* note = new QLabel(tr("Tokens are never written to the settings."), this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* connectButton = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(u"connectButton"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::validate);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_remember);
    layout->addWidget(note);
    layout->addWidget(buttons);
    resize(560, 0);
}

void ConnectDialog::validate()
{
    const QUrl url(m_url->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()) {
        m_url->setFocus();
        m_url->setStyleSheet(u"border: 1px solid #c62828"_s);
        m_url->setToolTip(tr("An http:// or https:// address, e.g. http://127.0.0.1:8787"));
        return;
    }
    if (m_token->text().isEmpty() || m_local->text().trimmed().isEmpty()) {
        (m_token->text().isEmpty() ? m_token : m_local)->setFocus();
        return;
    }
    if (m_remember->isChecked())
        m_tokens->store(tokenKey(connection()), m_token->text());
    accept();
}

void ConnectDialog::findUsers()
{
    const QUrl url(m_url->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || m_token->text().isEmpty()) {
        m_userStatus->setText(tr("Give the server's address and a support token first."));
        m_userStatus->show();
        return;
    }
    m_directory->setConnection({url, m_token->text(), QString(), m_deviceId});
    m_directory->setRetries(0);
    m_search = m_directory->listUsers(m_actAs->text().trimmed());
}

ServerConnection ConnectDialog::connection() const
{
    return {QUrl(m_url->text().trimmed()), m_token->text(), m_actAs->text().trimmed(), m_deviceId};
}

QString ConnectDialog::localPath() const { return m_local->text().trimmed(); }

QString ConnectDialog::tokenKey(const ServerConnection& c)
{
    return c.baseUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash) + u'|' + c.actAs;
}
