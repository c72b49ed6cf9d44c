// SPDX-License-Identifier: MIT
#include "ui/connectdialog.h"

#include "app/services/tokenstore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSysInfo>
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

    auto* form = new QFormLayout;
    form->addRow(tr("Server:"), m_url);
    form->addRow(tr("Token:"), m_token);
    form->addRow(tr("Inspect user:"), m_actAs);
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

ServerConnection ConnectDialog::connection() const
{
    return {QUrl(m_url->text().trimmed()), m_token->text(), m_actAs->text().trimmed(), m_deviceId};
}

QString ConnectDialog::localPath() const { return m_local->text().trimmed(); }

QString ConnectDialog::tokenKey(const ServerConnection& c)
{
    return c.baseUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash) + u'|' + c.actAs;
}
