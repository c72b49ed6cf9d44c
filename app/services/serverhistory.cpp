// SPDX-License-Identifier: MIT
#include "app/services/serverhistory.h"

#include "app/services/bytes.h"

#include "engine/datasetcodec.h"
#include "engine/datasetdiff.h"
#include "engine/itemchanges.h"

namespace {

struct Compared {
    std::string text;
    QList<RevisionItemChange> items;
};

std::optional<Compared> compareDocuments(const QByteArray& from, const QByteArray& to)
{
    auto a = decksync::codec::decodeDataset(bytesView(from));
    auto b = decksync::codec::decodeDataset(bytesView(to));
    if (!a || !b)
        return std::nullopt;
    Compared out;
    out.text = decksync::describeChanges(a.value(), b.value());
    for (const decksync::ItemChange& c : decksync::itemChanges(a.value(), b.value())) {
        QString what = QString::fromLatin1(decksync::changeKindName(c.kind));
        if (c.fromVersion && c.toVersion && *c.fromVersion != *c.toVersion)
            what += QObject::tr(" (version %1 → %2)").arg(*c.fromVersion).arg(*c.toVersion);
        out.items.append({c.type, QString::fromStdString(c.id.toString()), QString::fromStdString(c.label), what});
    }
    return out;
}

} // namespace

ServerHistory::ServerHistory(ServerClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
    connect(client, &ServerClient::revisionsListed, this,
            [this](quint64 call, const QList<ServerRevision>& revisions, qint64) {
                if (call != m_listCall)
                    return;
                m_revisions = revisions;
                Q_EMIT revisionsChanged();
            });
    connect(client, &ServerClient::fetched, this,
            [this](quint64 call, const QByteArray& document, qint64) { fetched(call, document); });
    connect(client, &ServerClient::pushed, this, [this](quint64 call, qint64 revision) {
        if (call != m_restoreCall)
            return;
        m_restoreCall = 0;
        Q_EMIT restored(m_restoring, revision);
        refresh();
    });
    connect(client, &ServerClient::pushConflict, this, [this](quint64 call, qint64 serverRevision, const QString&) {
        if (call != m_restoreCall)
            return;
        m_restoreCall = 0;
        Q_EMIT moved(serverRevision);
        refresh();
    });
    connect(client, &ServerClient::failed, this, [this](quint64 call, const QString& message) {
        if (call == m_restoreCall)
            m_restoreCall = 0;
        else if (call != m_listCall && call != m_comparison.fromCall && call != m_comparison.toCall)
            return;
        Q_EMIT failed(message);
    });
}

void ServerHistory::refresh()
{
    if (m_client)
        m_listCall = m_client->listRevisions();
}

void ServerHistory::compare(qint64 from, qint64 to)
{
    if (!m_client)
        return;
    m_comparison = Comparison{from, to, m_client->fetchRevision(from), m_client->fetchRevision(to), {}, {}};
}

void ServerHistory::restore(qint64 revision)
{
    if (!m_client || m_restoreCall)
        return; // one restore at a time: the second would be refused by If-Match anyway
    m_restoring = revision;
    m_restoreCall = m_client->restore(revision, newest());
}

void ServerHistory::restoreItem(qint64 revision, decksync::DataType type, const QString& id)
{
    if (!m_client || m_restoreCall)
        return;
    m_restoring = revision;
    m_restoreCall = m_client->restore(revision, newest(), {{QString::fromLatin1(decksync::dataTypeName(type)), id}});
}

void ServerHistory::fetched(quint64 call, const QByteArray& document)
{
    Comparison& c = m_comparison;
    if (call == c.fromCall)
        c.fromDocument = document;
    else if (call == c.toCall)
        c.toDocument = document;
    else
        return;
    if (!c.fromDocument || !c.toDocument)
        return;
    // Decoding two whole documents can take longer than a frame: off the GUI thread.
    m_compare.start(
        tr("Comparing revisions"), this,
        [from = *c.fromDocument, to = *c.toDocument](JobProgress&) { return compareDocuments(from, to); },
        [this, a = c.from, b = c.to](const std::optional<Compared>& result) {
            if (!result)
                Q_EMIT failed(tr("The server's data at revision %1 or %2 cannot be read.").arg(a).arg(b));
            else
                Q_EMIT compared(a, b, QString::fromStdString(result->text), result->items);
        });
}
