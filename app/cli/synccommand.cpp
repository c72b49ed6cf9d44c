// SPDX-License-Identifier: MIT
#include "app/cli/synccommand.h"

#include "app/cli/replaycommand.h"

#include "engine/commitjournal.h"
#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/idcheck.h"
#include "engine/reportcodec.h"

#include <chrono>  // system_clock
#include <cstdio>  // snprintf
#include <future>  // async
#include <memory>  // unique_ptr
#include <ostream> // ostream

namespace decksync::cli {
namespace {

constexpr std::size_t MaxDiagnosticsPrinted = 20;

/// Wall-clock phases of a run, for --timings.
class PhaseTimer {
public:
    explicit PhaseTimer(bool enabled)
        : m_enabled(enabled)
    {
    }
    void lap(const char* phase, std::ostream& err)
    {
        const auto now = std::chrono::steady_clock::now();
        if (m_enabled)
            err << "timing: " << phase << ' ' << std::chrono::duration<double, std::milli>(now - m_last).count()
                << " ms\n";
        m_last = now;
    }

private:
    bool m_enabled;
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

std::size_t totalItems(const Dataset& d)
{
    std::size_t n = 0;
    for (DataType t : AllDataTypes)
        n += itemCount(d, t);
    return n;
}

void printSummary(std::ostream& out, const DatasetSyncResult& r)
{
    char line[160];
    std::snprintf(line, sizeof line, "%-13s %7s %7s %7s %7s %9s %7s %7s %7s\n", "type", "total", "added", "updated",
                  "deleted", "conflicts", "local", "server", "merged");
    out << line;
    for (DataType t : AllDataTypes) {
        const SyncStats& s = r.stats(t);
        std::snprintf(line, sizeof line, "%-13s %7lld %7lld %7lld %7lld %9lld %7lld %7lld %7lld\n", dataTypeName(t),
                      static_cast<long long>(s.total_items), static_cast<long long>(s.added),
                      static_cast<long long>(s.updated), static_cast<long long>(s.deleted),
                      static_cast<long long>(s.conflicts), static_cast<long long>(s.local_wins),
                      static_cast<long long>(s.server_wins), static_cast<long long>(s.merged));
        out << line;
    }
    std::size_t counts[3] = {0, 0, 0};
    for (DataType t : AllDataTypes) {
        for (const Diagnostic& d : r.diagnostics(t))
            ++counts[static_cast<int>(d.severity)];
    }
    out << "diagnostics: " << counts[2] << " errors, " << counts[1] << " warnings, " << counts[0] << " notes\n";
    std::size_t printed = 0;
    for (int severity = 2; severity >= 0; --severity) {
        for (DataType t : AllDataTypes) {
            for (const Diagnostic& d : r.diagnostics(t)) {
                if (static_cast<int>(d.severity) != severity || printed >= MaxDiagnosticsPrinted)
                    continue;
                out << "  " << severityName(d.severity) << ' ' << dataTypeName(t) << ' ' << d.item_id.toString()
                    << ": " << d.message << '\n';
                ++printed;
            }
        }
    }
    const std::size_t total = counts[0] + counts[1] + counts[2];
    if (total > printed)
        out << "  ... and " << total - printed << " more (see the report)\n";
}

} // namespace

namespace {

/// Reads, decodes and checks one file.
Decoded<Dataset> loadChecked(const std::string& path, bool allowDuplicateIds)
{
    Decoded<Dataset> d = loadDatasetFile(path);
    if (d.ok() && !allowDuplicateIds) {
        if (std::optional<DecodeError> e = findDuplicateId(d.value())) {
            e->file = path;
            e->message += " (--allow-duplicate-ids syncs it as the seed would)";
            return std::move(*e);
        }
    }
    return d;
}

/// Writes MERGED and REPORT beside their targets, at the same time, and renames them into
/// place only when both are complete, with a journal beside the first: a failure, even of the
/// second rename, leaves every target as it was, and so does a run killed during the renames
/// (the next run puts the targets back from the journal).
int writeOutputs(const SyncArgs& args, const DatasetSyncResult& result, std::ostream& err)
{
    std::vector<std::string> targets;
    for (const std::optional<std::string>* output : {&args.outPath, &args.reportPath}) {
        if (*output)
            targets.push_back(**output);
    }
    if (targets.empty())
        return Success;
    FileCommit commit(targets);
    std::string error;
    if (!commit.open(&error)) {
        err << "decksync: error: " << error << '\n';
        return OutputFailed;
    }
    auto produce = [&commit](std::size_t i, auto write) {
        JsonWriter writer(commit.sink(i));
        write(writer);
        writer.finish();
    };
    std::future<void> reportDone;
    if (args.reportPath)
        reportDone = std::async(std::launch::async, [&] {
            produce(targets.size() - 1, [&](JsonWriter& w) { codec::writeReport(w, result); });
        });
    if (args.outPath)
        produce(0, [&](JsonWriter& w) { codec::writeDataset(w, result.merged); });
    if (reportDone.valid())
        reportDone.get();
    const CommitResult done = commit.commit(journalHooks(commitJournalPath(targets.front())));
    if (!done.ok()) {
        err << "decksync: error: " << done.error << '\n';
        return OutputFailed;
    }
    return Success;
}

} // namespace

std::optional<Timestamp> parseOption(const char* name, const std::string& text, std::ostream& err)
{
    std::string why;
    auto t = Timestamp::parse(text, &why);
    if (!t)
        err << "decksync: error: " << name << ": " << codec::quoteForMessage(text) << ' ' << why << '\n';
    return t;
}

std::optional<Profile> parseProfileOption(const std::string& name, std::ostream& err)
{
    const std::optional<Profile> profile = profileFromName(name);
    if (!profile)
        err << "decksync: error: --profile: unknown profile " << codec::quoteForMessage(name)
            << " (available: seed, safe)\n";
    return profile;
}

bool applyLastSyncOption(const std::optional<std::string>& option, std::optional<Timestamp>& lastSync,
                         std::ostream& err)
{
    if (!option)
        return true;
    if (*option == "null" || option->empty()) {
        lastSync.reset();
        return true;
    }
    const std::optional<Timestamp> t = parseOption("--last-sync", *option, err);
    if (t)
        lastSync = *t;
    return t.has_value();
}

bool loadSides(const std::string& localPath, const std::string& serverPath,
               const std::optional<std::string>& basePath, bool allowDuplicateIds, LoadedSides& out,
               std::ostream& err)
{
    auto serverFuture = std::async(std::launch::async, [&] { return loadChecked(serverPath, allowDuplicateIds); });
    std::future<Decoded<Dataset>> baseFuture;
    if (basePath)
        baseFuture = std::async(std::launch::async, [&] { return loadChecked(*basePath, allowDuplicateIds); });
    Decoded<Dataset> l = loadChecked(localPath, allowDuplicateIds);
    Decoded<Dataset> s = serverFuture.get();
    Decoded<Dataset> b = baseFuture.valid() ? baseFuture.get() : Decoded<Dataset>(Dataset{});
    bool ok = true;
    for (Decoded<Dataset>* d : {&l, &s, &b}) {
        if (!d->ok()) {
            err << "decksync: error: " << d->error().toString() << '\n';
            ok = false;
        }
    }
    if (ok) {
        out.local = std::move(l.value());
        out.server = std::move(s.value());
        if (basePath)
            out.base = std::move(b.value());
    }
    return ok;
}

int runSync(const SyncArgs& args, std::ostream& out, std::ostream& err)
{
    const auto profile = parseProfileOption(args.profile, err);
    if (!profile)
        return BadInput;
    std::optional<Timestamp> now = systemNow();
    if (args.now && !(now = parseOption("--now", *args.now, err)))
        return BadInput;
    std::optional<Timestamp> lastSyncOverride; // checked before the files are read; used with --last-sync
    if (!applyLastSyncOption(args.lastSync, lastSyncOverride, err))
        return BadInput;

    PhaseTimer timer(args.timings);
    // A run killed during its renames: its outputs get their earlier bytes back. Then the
    // temporaries a run killed before its renames left beside these outputs.
    for (const std::optional<std::string>* output : {&args.outPath, &args.reportPath}) {
        std::string why;
        if (!*output)
            continue;
        const auto putBack = recoverCommitJournal(commitJournalPath(**output), &why);
        if (!putBack) {
            err << "decksync: error: " << why << '\n';
            return OutputFailed;
        }
        if (*putBack > 0)
            err << "decksync: note: an interrupted run's outputs were put back as they were before it ("
                << commitJournalPath(**output) << ")\n";
    }
    for (const std::optional<std::string>* output : {&args.outPath, &args.reportPath, &args.bundlePath}) {
        if (*output)
            removeStaleTemporaries(**output);
    }
    struct State {
        LoadedSides sides;
        DatasetSyncResult result;
    };
    auto state = std::make_unique<State>();
    if (!loadSides(args.localPath, args.serverPath, args.basePath, args.allowDuplicateIds, state->sides, err))
        return BadInput;
    timer.lap("load", err);

    SyncOptions options;
    options.now = *now;
    options.profile = *profile;
    options.lastSync = args.lastSync ? lastSyncOverride : state->sides.local.last_sync;
    const std::size_t localCount = totalItems(state->sides.local);
    const std::size_t serverCount = totalItems(state->sides.server);
    SyncEngine engine(options);
    engine.setBase(state->sides.base ? &*state->sides.base : nullptr);
    state->result = engine.syncDataset(state->sides.local, std::move(state->sides.server));
    timer.lap("sync", err);

    if (const int code = writeOutputs(args, state->result, err); code != Success)
        return code;
    if (args.bundlePath) {
        const std::optional<std::string> lastSync =
            options.lastSync ? std::optional<std::string>(options.lastSync->toString()) : std::optional<std::string>("null");
        // The seed does not read a base: its bundles stay as they were.
        const std::optional<std::string> base = options.profile == Profile::Safe ? args.basePath : std::nullopt;
        if (const int code = writeBundle(args.localPath, args.serverPath, base, *args.bundlePath,
                                         options.now.toString(), lastSync, profileName(options.profile), err);
            code != Success)
            return code;
    }
    timer.lap("write", err);

    if (!args.quiet) {
        out << "local " << args.localPath << " (" << localCount << " items), server " << args.serverPath << " ("
            << serverCount << " items)\n";
        out << "last_sync " << (options.lastSync ? options.lastSync->toString() : std::string("null")) << ", now "
            << options.now.toString() << ", profile " << profileName(options.profile) << ", "
            << (args.basePath ? "base " + *args.basePath : std::string("no base")) << "\n\n";
        printSummary(out, state->result);
        if (args.outPath)
            out << "wrote " << *args.outPath << '\n';
        if (args.reportPath)
            out << "wrote " << *args.reportPath << '\n';
        if (args.bundlePath)
            out << "wrote " << *args.bundlePath << " (replay it with: decksync replay " << *args.bundlePath << ")\n";
    }
    if (args.exitWithoutTeardown)
        (void)state.release(); // the caller exits now: the system frees it faster than a million free() calls
    return Success;
}

} // namespace decksync::cli
