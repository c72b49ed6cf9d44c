// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/jobtracker.h"
#include "app/services/serverclient.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include "engine/models.h"

#include <optional>

/// One item that differs between two revisions, in support's words.
struct RevisionItemChange {
    decksync::DataType type = decksync::DataType::Decks;
    QString id;
    QString label; ///< the deck's title, the achievement's type, ...
    QString what;  ///< "deleted", "going back to an older version (version 4 → 2)", ...
};

/// The user's history on a live server, for support: the revisions, newest first, what
/// changed between two of them in plain words (items by name), and the restore of one, which
/// is a write with If-Match of the newest revision. Widgets ask and show; this fetches,
/// decodes off the GUI thread, and answers with one signal per question. A newer comparison
/// supersedes an older one; a restore is never superseded.
class ServerHistory : public QObject {
    Q_OBJECT
public:
    explicit ServerHistory(ServerClient* client, QObject* parent = nullptr);

    /// Lists the newest revisions again: answers revisionsChanged() or failed().
    void refresh();
    [[nodiscard]] const QList<ServerRevision>& revisions() const { return m_revisions; }
    /// The newest revision listed (0 before the first list, or for a user with no data).
    [[nodiscard]] qint64 newest() const { return m_revisions.isEmpty() ? 0 : m_revisions.first().revision; }

    /// What changed from revision `from` to `to`: answers compared() or failed().
    void compare(qint64 from, qint64 to);
    /// Writes `revision` again as a new revision, over the newest listed: answers restored(),
    /// or moved() when another device wrote since the list, or failed().
    void restore(qint64 revision);
    /// Only the item `id` of `type` becomes as it was at `revision` (gone, if it was not there
    /// then); the rest stays as it is. Answered as restore() is.
    void restoreItem(qint64 revision, decksync::DataType type, const QString& id);

Q_SIGNALS:
    void revisionsChanged();
    /// `text`: the counts per type, then the items added, removed and changed by name; `items`
    /// the same items one by one.
    void compared(qint64 from, qint64 to, const QString& text, const QList<RevisionItemChange>& items);
    void restored(qint64 revision, qint64 newRevision);
    void moved(qint64 newest);
    void failed(const QString& message);

private:
    void fetched(quint64 call, const QByteArray& document);

    QPointer<ServerClient> m_client;
    JobTracker m_compare;
    QList<ServerRevision> m_revisions;
    quint64 m_listCall = 0;
    quint64 m_restoreCall = 0;
    qint64 m_restoring = 0;
    /// The comparison under way: its revisions, the calls that fetch them and what came.
    struct Comparison {
        qint64 from = 0;
        qint64 to = 0;
        quint64 fromCall = 0;
        quint64 toCall = 0;
        std::optional<QByteArray> fromDocument;
        std::optional<QByteArray> toDocument;
    } m_comparison;
};
