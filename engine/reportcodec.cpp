// SPDX-License-Identifier: MIT
#include "engine/reportcodec.h"

#include "engine/datasetcodec.h"

namespace decksync::codec {
namespace {

template <class T>
void writeTypeReport(JsonWriter& w, const SyncReport<T>& report)
{
    w.beginObject();
    w.key("stats");
    writeStats(w, report.stats);
    w.key("conflicts");
    w.beginArray();
    for (const SyncConflict<T>& c : report.conflicts) {
        w.beginObject();
        w.key("item_id");
        w.uuid(c.item_id);
        w.key("local_item");
        writeItem(w, c.local_item);
        w.key("server_item");
        writeItem(w, c.server_item);
        w.key("resolution");
        w.string(resolutionName(c.resolution));
        w.key("resolved_at");
        w.timestamp(c.resolved_at);
        w.endObject();
    }
    w.endArray();
    w.key("diagnostics");
    w.beginArray();
    for (const Diagnostic& d : report.diagnostics)
        writeDiagnostic(w, d);
    w.endArray();
    w.key("decisions");
    w.beginArray();
    for (const Decision& d : report.decisions) {
        w.beginObject();
        w.key("item_id");
        w.uuid(d.item_id);
        w.key("decision");
        w.string(decisionName(d.kind));
        w.key("explanation");
        w.string(d.explanation);
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

} // namespace

void writeStats(JsonWriter& w, const SyncStats& s)
{
    w.beginObject();
    const std::pair<const char*, std::int64_t> fields[] = {
        {"total_items", s.total_items}, {"added", s.added},           {"updated", s.updated},
        {"deleted", s.deleted},         {"conflicts", s.conflicts},   {"local_wins", s.local_wins},
        {"server_wins", s.server_wins}, {"merged", s.merged}};
    for (const auto& [name, value] : fields) {
        w.key(name);
        w.integer(value);
    }
    w.endObject();
}

void writeDiagnostic(JsonWriter& w, const Diagnostic& d)
{
    w.beginObject();
    w.key("severity");
    w.string(severityName(d.severity));
    w.key("code");
    w.string(d.code);
    w.key("item_id");
    w.uuid(d.item_id);
    w.key("message");
    w.string(d.message);
    w.endObject();
}

void writeReport(JsonWriter& w, const DatasetSyncResult& r)
{
    w.beginObject();
    if (r.profile != Profile::Seed || r.hadBase) {
        // Said only when it is not the seed's plain run, whose reports keep their bytes.
        w.key("run");
        w.beginObject();
        w.key("profile");
        w.string(profileName(r.profile));
        w.key("base");
        w.boolean(r.hadBase);
        w.endObject();
    }
    w.key("decks");
    writeTypeReport(w, r.decks);
    w.key("achievements");
    writeTypeReport(w, r.achievements);
    w.key("progress");
    writeTypeReport(w, r.progress);
    w.key("starred");
    writeTypeReport(w, r.starred);
    w.key("preferences");
    writeTypeReport(w, r.preferences);
    w.endObject();
}

std::string encodeReport(const DatasetSyncResult& result)
{
    std::string out;
    JsonWriter w(out);
    writeReport(w, result);
    w.finish();
    return out;
}

} // namespace decksync::codec
