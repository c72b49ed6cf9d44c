// SPDX-License-Identifier: MIT
#include "app/services/rundetails.h"

#include "app/services/bytes.h"
#include "app/services/historystore.h"
#include "engine/datasetcodec.h"
#include "engine/datasetdiff.h"
#include "engine/itemfields.h"
#include "engine/resolutioncodec.h"
#include "engine/synctraits.h"

#include <nlohmann/json.hpp>

#include <QObject>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

QString lines(const QString& text) { return text.toHtmlEscaped().replace(u'\n', u"<br>"_s); }

QString changesText(const QByteArray& before, const QByteArray& after)
{
    const auto text = describeDocumentChanges(bytesView(before), bytesView(after));
    return text ? QString::fromStdString(*text) : QObject::tr("(not comparable: a side is not a dataset)");
}

/// The counts the record keeps per type ({"decks": {"total_items": 7, ...}, ...}) as a table;
/// a text that is not such an object is shown as it is.
QString statsTable(const QString& statsJson)
{
    const nlohmann::json stats = nlohmann::json::parse(statsJson.toStdString(), nullptr, false);
    if (!stats.is_object())
        return u"<pre>%1</pre>"_s.arg(statsJson.toHtmlEscaped());
    static const std::pair<const char*, const char*> columns[] = {
        {"total_items", "In the result"}, {"added", "Added"},   {"updated", "Updated"},
        {"deleted", "Deleted"},           {"conflicts", "Conflicts"}, {"local_wins", "From the device"},
        {"server_wins", "From the server"}, {"merged", "Merged"}};
    QString html = u"<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\"><tr><th>%1</th>"_s.arg(QObject::tr("Type"));
    for (const auto& [key, title] : columns)
        html += u"<th>%1</th>"_s.arg(QObject::tr(title));
    html += u"</tr>"_s;
    for (const auto& [type, counts] : stats.items()) {
        html += u"<tr><td>%1</td>"_s.arg(QString::fromStdString(type).toHtmlEscaped());
        for (const auto& [key, title] : columns) {
            const auto it = counts.is_object() ? counts.find(key) : counts.end();
            html += u"<td align=\"right\">%1</td>"_s.arg(
                it != counts.end() && it->is_number_integer() ? QString::number(it->get<long long>()) : QString());
        }
        html += u"</tr>"_s;
    }
    return html + u"</table>"_s;
}

template <class T>
std::string labelIn(const std::vector<T>& items, const Uuid& id)
{
    for (const T& item : items) {
        if (SyncTraits<T>::id(item) == id)
            return ItemFields<T>::label(item);
    }
    return {};
}

/// The item's label in `d` (the server's, else the device's before the run), or its id.
std::string labelOf(DataType type, const Uuid& id, const Dataset& server, const Dataset& local)
{
    for (const Dataset* d : {&server, &local}) {
        std::string label;
        switch (type) {
        case DataType::Decks: label = labelIn(d->decks, id); break;
        case DataType::Achievements: label = labelIn(d->achievements, id); break;
        case DataType::Progress: label = labelIn(d->progress, id); break;
        case DataType::Starred: label = labelIn(d->starred, id); break;
        case DataType::Preferences:
            if (d->preferences)
                label = ItemFields<UserPreferences>::label(*d->preferences);
            break;
        }
        if (!label.empty())
            return label;
    }
    return id.toString();
}

/// The record's manual resolutions as a list, each naming its item, then the notes on items.
QString resolutionsList(const HistoryRecord& r)
{
    const QString none = u"<p>%1</p>"_s.arg(QObject::tr("None: every item was as the sync decided."));
    if (r.resolutionsJson.isEmpty())
        return none;
    const Decoded<ResolutionSet> set = codec::decodeResolutions(r.resolutionsJson.toStdString());
    if (!set.ok())
        return u"<pre>%1</pre>"_s.arg(r.resolutionsJson.toHtmlEscaped());
    const Decoded<Dataset> server = codec::decodeDataset(bytesView(r.serverBefore));
    const Decoded<Dataset> local = codec::decodeDataset(bytesView(r.localBefore));
    static const Dataset noData;
    const auto name = [&](const ResolutionKey& key) {
        const std::string label =
            labelOf(key.type, key.id, server.ok() ? server.value() : noData, local.ok() ? local.value() : noData);
        return u"%1 \"%2\""_s.arg(QString::fromUtf8(dataTypeName(key.type)),
                                   QString::fromStdString(label).toHtmlEscaped());
    };
    QString html = set.value().empty() ? none : u"<ul>"_s;
    for (const auto& [key, resolution] : set.value().items())
        html += u"<li>%1: %2</li>"_s.arg(name(key),
                                          QString::fromStdString(describeResolution(resolution)).toHtmlEscaped());
    if (!set.value().empty())
        html += u"</ul>"_s;
    if (!set.value().notes().empty()) {
        html += u"<h4>%1</h4><ul>"_s.arg(QObject::tr("Notes"));
        for (const auto& [key, note] : set.value().notes())
            html += u"<li>%1: %2</li>"_s.arg(name(key), QString::fromStdString(note).toHtmlEscaped());
        html += u"</ul>"_s;
    }
    return html;
}

} // namespace

QString runDetailsHtml(const QString& historyPath, qint64 id)
{
    HistoryStore store;
    if (const Outcome<> opened = store.open(historyPath); !opened)
        return opened.error().toHtmlEscaped();
    const Outcome<HistoryRecord> r = store.load(id);
    if (!r)
        return QObject::tr("Record #%1 cannot be read: %2").arg(id).arg(r.error().toHtmlEscaped());
    QString html = u"<h3>%1 #%2</h3><table>"_s
                       .arg(r->kind == RunKind::Rollback ? QObject::tr("Rollback") : QObject::tr("Sync"))
                       .arg(r->id);
    auto row = [&html](const QString& k, const QString& v) {
        html += u"<tr><td><b>%1</b></td><td>%2</td></tr>"_s.arg(k, v.toHtmlEscaped());
    };
    row(QObject::tr("When"), r->recordedAt.toString(Qt::ISODateWithMs));
    row(QObject::tr("By"), r->user);
    row(QObject::tr("Device file"), r->localSource);
    row(QObject::tr("Server"), r->serverSource);
    row(QObject::tr("Rules"), r->profile);
    row(QObject::tr("Device last synced"), r->lastSync.isEmpty() ? QObject::tr("never") : r->lastSync);
    row(QObject::tr("Sync clock"), r->now);
    row(QObject::tr("Conflicts"), QString::number(r->conflicts));
    row(QObject::tr("Resolved by hand"), QString::number(r->manualResolutions));
    if (r->rollbackOf)
        row(QObject::tr("Undid"), u"#%1"_s.arg(r->rollbackOf));
    if (r->rolledBackBy)
        row(QObject::tr("Rolled back by"), u"#%1"_s.arg(r->rolledBackBy));
    html += u"</table><h4>%1</h4><p><b>%2</b>: %3</p><p><b>%4</b>: %5</p>"_s.arg(
        QObject::tr("Before → after"), QObject::tr("Server"), lines(changesText(r->serverBefore, r->serverAfter)),
        QObject::tr("Device"), lines(changesText(r->localBefore, r->localAfter)));
    html += u"<h4>%1</h4>%2<h4>%3</h4>%4"_s.arg(QObject::tr("Counts"), statsTable(r->statsJson),
                                                  QObject::tr("Resolved by hand"), resolutionsList(*r));
    return html;
}
