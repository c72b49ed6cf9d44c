// SPDX-License-Identifier: MIT
#include "app/cli/replaycommand.h"

#include "app/cli/synccommand.h"
#include "app/version.h"
#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/reprobundle.h"

#include <ostream>

namespace decksync::cli {
namespace {

bool writeText(const std::string& path, const std::string& text, std::ostream& err)
{
    std::string why;
    const bool ok = writeFileAtomically(path, [&](OutputSink& sink) { sink.write(text); }, &why);
    if (!ok)
        err << "decksync: error: " << why << '\n';
    return ok;
}

} // namespace

int runReplay(const std::string& bundlePath, const std::optional<std::string>& outDir, std::ostream& out,
              std::ostream& err)
{
    std::string why;
    const auto text = readFile(bundlePath, &why);
    if (!text) {
        err << "decksync: error: " << bundlePath << ": " << why << '\n';
        return BadInput;
    }
    Decoded<ReproBundle> bundle = codec::decodeReproBundle(*text);
    if (!bundle.ok()) {
        bundle.error().file = bundlePath;
        err << "decksync: error: " << bundle.error().toString() << '\n';
        return BadInput;
    }
    const ReplayResult result = replay(bundle.value(), DECKSYNC_VERSION);
    if (outDir) {
        if (!writeText(*outDir + "/merged.json", result.merged, err) || !writeText(*outDir + "/report.json", result.report, err))
            return OutputFailed;
    }
    const SyncOptions& o = bundle->options;
    out << "bundle " << bundlePath << ": engine " << bundle->engineVersion << ", profile " << profileName(o.profile)
        << ", now " << o.now.toString() << ", last_sync " << (o.lastSync ? o.lastSync->toString() : std::string("null"))
        << (bundle->baseText ? ", with a base" : ", no base") << '\n';
    // What support decided and wrote down: shown, not replayed (the engine's result is what replays).
    const ResolutionSet& decided = bundle->resolutions;
    if (!decided.empty() || !decided.notes().empty()) {
        out << "the case: " << decided.size() << " item(s) resolved by hand (not part of the replay), "
            << decided.notes().size() << " note(s)\n";
        for (const auto& [key, resolution] : decided.items())
            out << "  " << dataTypeName(key.type) << ' ' << key.id.toString() << ": " << describeResolution(resolution)
                << '\n';
        for (const auto& [key, note] : decided.notes())
            out << "  note on " << dataTypeName(key.type) << ' ' << key.id.toString() << ": " << note << '\n';
    }
    if (result.identical) {
        out << "identical: the merged state and the report are byte for byte the recorded ones\n";
        return Success;
    }
    out << "DIFFERENT from the recorded result:\n";
    for (const std::string& d : result.differences)
        out << "  " << d << '\n';
    return 1;
}

int writeBundle(const std::string& localPath, const std::string& serverPath,
                const std::optional<std::string>& basePath, const std::string& bundlePath,
                const std::string& nowText, const std::optional<std::string>& lastSyncText, const std::string& profile,
                std::ostream& err)
{
    std::string why;
    const auto local = readFile(localPath, &why);
    const auto server = local ? readFile(serverPath, &why) : std::nullopt;
    if (!local || !server) {
        err << "decksync: error: " << (local ? serverPath : localPath) << ": " << why << '\n';
        return BadInput;
    }
    std::optional<std::string> base;
    if (basePath && !(base = readFile(*basePath, &why))) {
        err << "decksync: error: " << *basePath << ": " << why << '\n';
        return BadInput;
    }
    SyncOptions options;
    options.now = *Timestamp::parse(nowText);
    options.profile = profileFromName(profile).value_or(Profile::Seed);
    if (lastSyncText) {
        if (*lastSyncText != "null" && !lastSyncText->empty())
            options.lastSync = Timestamp::parse(*lastSyncText);
    } else if (auto d = codec::decodeDataset(*local); d.ok()) {
        options.lastSync = d->last_sync;
    }
    Decoded<ReproBundle> bundle = codec::makeReproBundle(*local, *server, options, DECKSYNC_VERSION, std::move(base));
    if (!bundle.ok()) {
        err << "decksync: error: " << bundle.error().toString() << '\n';
        return BadInput;
    }
    return writeText(bundlePath, codec::encodeReproBundle(bundle.value()), err) ? Success : OutputFailed;
}

} // namespace decksync::cli
