// SPDX-License-Identifier: MIT
#include "engine/reprobundle.h"

#include "engine/datasetcodec.h"
#include "engine/datasetdiff.h"
#include "engine/jsonreader.h"
#include "engine/reportcodec.h"
#include "engine/resolutioncodec.h"

#include <map>

namespace decksync {
namespace {

struct Outputs {
    std::string merged;
    std::string report;
    DatasetSyncResult result;
};

Decoded<Dataset> decodeSide(std::string_view text, const char* side)
{
    Decoded<Dataset> d = codec::decodeDataset(text);
    if (!d.ok())
        d.error().file = side;
    return d;
}

Outputs run(const Dataset& local, Dataset server, const SyncOptions& options, const Dataset* base)
{
    Outputs out;
    SyncEngine engine(options);
    engine.setBase(base);
    out.result = engine.syncDataset(local, std::move(server));
    out.merged = codec::encodeDataset(out.result.merged);
    out.report = codec::encodeReport(out.result);
    return out;
}

std::string statsLine(const SyncStats& s)
{
    return "total " + std::to_string(s.total_items) + ", added " + std::to_string(s.added) + ", updated "
        + std::to_string(s.updated) + ", deleted " + std::to_string(s.deleted) + ", conflicts "
        + std::to_string(s.conflicts) + ", local " + std::to_string(s.local_wins) + ", server "
        + std::to_string(s.server_wins) + ", merged " + std::to_string(s.merged);
}

/// Reads the stats of one type from a report document, if it has them.
std::optional<SyncStats> statsFrom(std::string_view report, DataType type)
{
    auto d = decodeWith<std::optional<SyncStats>>(report, [type](JsonReader& r) {
        std::optional<SyncStats> out;
        r.readObject([&](std::string_view key) {
            if (key != dataTypeName(type)) {
                r.skipValue();
                return;
            }
            r.readObject([&](std::string_view part) {
                if (part != "stats") {
                    r.skipValue();
                    return;
                }
                SyncStats s;
                r.readObject([&](std::string_view name) {
                    const std::int64_t v = r.readInt64();
                    std::int64_t* fields[] = {&s.total_items, &s.added, &s.updated, &s.deleted,
                                              &s.conflicts, &s.local_wins, &s.server_wins, &s.merged};
                    const char* names[] = {"total_items", "added", "updated", "deleted",
                                           "conflicts", "local_wins", "server_wins", "merged"};
                    for (std::size_t i = 0; i < 8; ++i) {
                        if (name == names[i])
                            *fields[i] = v;
                    }
                });
                out = s;
            });
        });
        return out;
    });
    return d.ok() ? d.value() : std::nullopt;
}

/// The text of each type's section of a report document ("decks" -> "{...}").
std::map<std::string, std::string> sectionsOf(std::string_view report)
{
    auto d = decodeWith<std::map<std::string, std::string>>(report, [](JsonReader& r) {
        std::map<std::string, std::string> out;
        r.readObject([&](std::string_view key) {
            const std::string name(key);
            out[name] = std::string(r.skipValue());
        });
        return out;
    });
    return d.ok() ? d.value() : std::map<std::string, std::string>{};
}

} // namespace

namespace codec {

Decoded<ReproBundle> makeReproBundle(std::string localText, std::string serverText, const SyncOptions& options,
                                     std::string engineVersion, std::optional<std::string> baseText)
{
    Decoded<Dataset> local = decodeSide(localText, "local");
    if (!local.ok())
        return local.error();
    Decoded<Dataset> server = decodeSide(serverText, "server");
    if (!server.ok())
        return server.error();
    std::optional<Decoded<Dataset>> base;
    if (baseText) {
        base = decodeSide(*baseText, "base");
        if (!base->ok())
            return base->error();
    }
    const Outputs out = run(local.value(), std::move(server.value()), options, base ? &base->value() : nullptr);
    ReproBundle b;
    b.engineVersion = std::move(engineVersion);
    b.options = options;
    b.localText = std::move(localText);
    b.serverText = std::move(serverText);
    b.baseText = std::move(baseText);
    b.expectedMerged = out.merged;
    b.expectedReport = out.report;
    return b;
}

std::string encodeReproBundle(const ReproBundle& b)
{
    // Trailing newlines of the embedded documents are not part of their JSON value.
    auto trimmed = [](const std::string& s) {
        std::string_view v(s);
        while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ' || v.back() == '\t'))
            v.remove_suffix(1);
        return v;
    };
    std::string out;
    JsonWriter w(out);
    w.beginObject();
    w.key("format");
    w.string("decksync-repro");
    w.key("format_version");
    w.integer(1);
    w.key("engine_version");
    w.string(b.engineVersion);
    w.key("profile");
    w.string(profileName(b.options.profile));
    w.key("now");
    w.timestamp(b.options.now);
    w.key("last_sync");
    if (b.options.lastSync)
        w.timestamp(*b.options.lastSync);
    else
        w.null();
    w.key("local");
    w.raw(trimmed(b.localText));
    w.key("server");
    w.raw(trimmed(b.serverText));
    if (b.baseText) {
        w.key("base");
        w.raw(trimmed(*b.baseText));
    }
    // A bundle decoded without "expected" has no result texts: write null, not an empty value.
    auto rawOrNull = [&](const std::string& s) {
        if (const std::string_view v = trimmed(s); v.empty())
            w.null();
        else
            w.raw(v);
    };
    w.key("expected");
    w.beginObject();
    w.key("merged");
    rawOrNull(b.expectedMerged);
    w.key("report");
    rawOrNull(b.expectedReport);
    w.endObject();
    if (!b.resolutions.empty() || !b.resolutions.notes().empty()) { // only then: bundles stay as they were
        w.key("resolutions");
        writeResolutions(w, b.resolutions);
    }
    w.endObject();
    w.finish();
    return out;
}

Decoded<ReproBundle> decodeReproBundle(std::string_view json)
{
    return decodeWith<ReproBundle>(json, [](JsonReader& r) {
        ReproBundle b;
        r.peekType();
        const std::size_t start = r.offset();
        bool format = false, now = false, local = false, server = false;
        r.readObject([&](std::string_view key) {
            if (key == "format") {
                const std::size_t at = (r.peekType(), r.offset());
                if (r.readString() != "decksync-repro")
                    r.fail("this is not a DeckSync repro bundle", at);
                format = true;
            } else if (key == "format_version") {
                const std::size_t at = (r.peekType(), r.offset());
                if (r.readInt64() != 1)
                    r.fail("unknown bundle format version (this decksync reads version 1)", at);
            } else if (key == "engine_version") {
                b.engineVersion = r.readString();
            } else if (key == "profile") {
                const std::size_t at = (r.peekType(), r.offset());
                const std::string_view name = r.readString();
                const auto p = profileFromName(name);
                if (!p)
                    r.fail(quoteForMessage(name) + " is not a profile (seed, safe)", at);
                b.options.profile = *p;
            } else if (key == "now") {
                b.options.now = readTimestamp(r);
                now = true;
            } else if (key == "last_sync") {
                b.options.lastSync = readOptionalTimestamp(r);
            } else if (key == "local" || key == "server" || key == "base") {
                const std::size_t at = (r.peekType(), r.offset());
                const std::string_view raw = r.skipValue();
                Decoded<Dataset> d = decodeDataset(raw);
                if (!d.ok())
                    r.failNested(d.error(), "", at);
                if (key == "local") {
                    b.localText = raw;
                    local = true;
                } else if (key == "server") {
                    b.serverText = raw;
                    server = true;
                } else {
                    b.baseText = std::string(raw);
                }
            } else if (key == "expected") {
                r.readObject([&](std::string_view part) {
                    if (part == "merged")
                        b.expectedMerged = std::string(r.skipValue()) + '\n';
                    else if (part == "report")
                        b.expectedReport = std::string(r.skipValue()) + '\n';
                    else
                        r.skipValue();
                });
            } else if (key == "resolutions") {
                const std::size_t at = (r.peekType(), r.offset());
                Decoded<ResolutionSet> set = decodeResolutions(r.skipValue());
                if (!set.ok())
                    r.failNested(set.error(), "", at);
                b.resolutions = std::move(set.value());
            } else {
                r.skipValue();
            }
        });
        const char* missing = !format ? "format" : !now ? "now" : !local ? "local" : !server ? "server" : nullptr;
        if (missing)
            r.fail(std::string("missing field \"") + missing + '"', start);
        return b;
    });
}

} // namespace codec

ReplayResult replay(const ReproBundle& bundle, const std::string& engineVersion)
{
    ReplayResult out;
    Decoded<Dataset> local = codec::decodeDataset(bundle.localText);
    Decoded<Dataset> server = codec::decodeDataset(bundle.serverText);
    Decoded<Dataset> base = codec::decodeDataset(bundle.baseText.value_or("{}"));
    for (Decoded<Dataset>* side : {&local, &server, &base}) {
        if (!side->ok()) {
            out.differences.push_back("a side of the bundle no longer decodes: " + side->error().toString());
            return out;
        }
    }
    const Outputs now = run(local.value(), std::move(server.value()), bundle.options,
                            bundle.baseText ? &base.value() : nullptr);
    out.merged = now.merged;
    out.report = now.report;
    out.identical = now.merged == bundle.expectedMerged && now.report == bundle.expectedReport;
    if (out.identical)
        return out;
    if (bundle.engineVersion != engineVersion)
        out.differences.push_back("the bundle was made by engine " + bundle.engineVersion + ", this is " + engineVersion);
    for (DataType t : AllDataTypes) {
        const auto before = statsFrom(bundle.expectedReport, t);
        const SyncStats& after = now.result.stats(t);
        if (before && !(*before == after))
            out.differences.push_back(std::string(dataTypeName(t)) + " stats: expected " + statsLine(*before) + "; now "
                                      + statsLine(after));
    }
    Decoded<Dataset> expected = codec::decodeDataset(bundle.expectedMerged);
    if (expected.ok()) {
        const std::string items = describeDiff(diffDatasets(expected.value(), now.result.merged));
        if (items != "no change")
            out.differences.push_back("merged state: " + items + " compared with the recorded one");
        if (expected->last_sync != now.result.merged.last_sync)
            out.differences.push_back("merged last_sync: expected "
                                      + (expected->last_sync ? expected->last_sync->toString() : std::string("null"))
                                      + ", now " + now.result.merged.last_sync->toString());
    }
    const auto before = sectionsOf(bundle.expectedReport);
    const auto after = sectionsOf(now.report);
    for (DataType t : AllDataTypes) {
        const auto b = before.find(dataTypeName(t));
        const auto a = after.find(dataTypeName(t));
        if (b != before.end() && a != after.end() && b->second != a->second)
            out.differences.push_back(std::string(dataTypeName(t))
                                      + " report: its conflicts, diagnostics or decisions differ from the recorded ones");
    }
    if (out.differences.empty())
        out.differences.push_back("the output differs in its bytes only (formatting)");
    return out;
}

} // namespace decksync
