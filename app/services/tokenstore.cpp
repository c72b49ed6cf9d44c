// SPDX-License-Identifier: MIT
#include "app/services/tokenstore.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace {
const QString Service = u"decksync-inspector"_s;
}

TokenStore::TokenStore(QObject* parent)
    : QObject(parent)
{
}

void TokenStore::read(const QString& key)
{
    if (m_session.contains(key)) {
        const QString token = m_session.value(key);
        QMetaObject::invokeMethod(this, [this, key, token] { Q_EMIT tokenRead(key, token); }, Qt::QueuedConnection);
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(Service, this);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
        const auto* read = static_cast<QKeychain::ReadPasswordJob*>(j);
        Q_EMIT tokenRead(key, j->error() == QKeychain::NoError ? read->textData() : QString());
    });
    job->start();
}

void TokenStore::store(const QString& key, const QString& token)
{
    auto* job = new QKeychain::WritePasswordJob(Service, this);
    job->setKey(key);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [this, key, token](QKeychain::Job* j) {
        if (j->error() == QKeychain::NoError) {
            m_session.remove(key);
            Q_EMIT stored(key, true, {});
            return;
        }
        m_session.insert(key, token); // no keyring here: this session only
        Q_EMIT stored(key, false, j->errorString());
    });
    job->start();
}
