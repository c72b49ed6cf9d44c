// SPDX-License-Identifier: MIT
#include "app/cli/synccommand.h"

#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/reportcodec.h"

#include <chrono>  // system_clock
#include <cstdio>  // snprintf
#include <future>  // async
#include <ostream> // ostream

namespace decksync::cli {
namespace {

constexpr std::size_t MaxDiagnosticsPrinted = 20;

std::optional<Timestamp> parseOption(const char* name, const std::string& text, std::ostream& err)
{
    std::string why;
    auto t = Timestamp::parse(text, &why);
    if (!t)
        err << "decksync: error: " << name << ": " << codec::quoteForMessage(text) << ' ' << why << '\n';
    return t;
}

Timestamp systemNow()
{
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(since - secs);
    // Whole milliseconds keep the written timestamps short.
    return {secs.count(), static_cast<std::uint32_t>(nanos.count() / 1'000'000 * 1'000'000)};
}

std::size_t itemCount(const Dataset& d)
{
    return d.decks.size() + d.achievements.size() + d.progress.size() + d.starred.size() + (d.preferences ? 1 : 0);
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

int runSync(const SyncArgs& args, std::ostream& out, std::ostream& err)
{
    const auto profile = profileFromName(args.profile);
    if (!profile) {
        err << "decksync: error: --profile: unknown profile " << codec::quoteForMessage(args.profile)
            << " (available: seed)\n";
        return BadInput;
    }
    std::optional<Timestamp> now = systemNow();
    if (args.now && !(now = parseOption("--now", *args.now, err)))
        return BadInput;
    std::optional<std::optional<Timestamp>> lastSyncOverride;
    if (args.lastSync) {
        if (*args.lastSync == "null" || args.lastSync->empty()) {
            lastSyncOverride.emplace();
        } else {
            auto t = parseOption("--last-sync", *args.lastSync, err);
            if (!t)
                return BadInput;
            lastSyncOverride.emplace(*t);
        }
    }

    // The two files are independent: read and decode them at the same time.
    auto serverFuture = std::async(std::launch::async, [&] { return loadDatasetFile(args.serverPath); });
    Decoded<Dataset> local = loadDatasetFile(args.localPath);
    Decoded<Dataset> server = serverFuture.get();
    bool bad = false;
    for (const Decoded<Dataset>* d : {&local, &server}) {
        if (!d->ok()) {
            err << "decksync: error: " << d->error().toString() << '\n';
            bad = true;
        }
    }
    if (bad)
        return BadInput;

    SyncOptions options;
    options.now = *now;
    options.profile = *profile;
    options.lastSync = lastSyncOverride ? *lastSyncOverride : local->last_sync;
    const std::size_t localCount = itemCount(*local);
    const std::size_t serverCount = itemCount(*server);

    const SyncEngine engine(options);
    const DatasetSyncResult result = engine.syncDataset(*local, std::move(*server));

    // Write both outputs beside their targets first; rename only when both are complete.
    std::optional<AtomicFileWriter> outFile, reportFile;
    std::string why;
    auto prepare = [&](std::optional<AtomicFileWriter>& file, const std::string& path, auto&& produce) {
        file.emplace(path);
        if (!file->open(&why))
            return false;
        JsonWriter writer(file->sink());
        produce(writer);
        writer.finish();
        return true;
    };
    bool ok = true;
    if (args.outPath)
        ok = prepare(outFile, *args.outPath, [&](JsonWriter& w) { codec::writeDataset(w, result.merged); });
    if (ok && args.reportPath)
        ok = prepare(reportFile, *args.reportPath, [&](JsonWriter& w) { codec::writeReport(w, result); });
    if (ok && outFile)
        ok = outFile->commit(&why);
    if (ok && reportFile)
        ok = reportFile->commit(&why);
    if (!ok) {
        err << "decksync: error: " << why << '\n';
        return OutputFailed;
    }

    if (!args.quiet) {
        out << "local " << args.localPath << " (" << localCount << " items), server " << args.serverPath << " ("
            << serverCount << " items)\n";
        out << "last_sync " << (options.lastSync ? options.lastSync->toString() : std::string("null")) << ", now "
            << options.now.toString() << ", profile " << profileName(options.profile) << "\n\n";
        printSummary(out, result);
        if (args.outPath)
            out << "wrote " << *args.outPath << '\n';
        if (args.reportPath)
            out << "wrote " << *args.reportPath << '\n';
    }
    return Success;
}

} // namespace decksync::cli
