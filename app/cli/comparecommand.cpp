// SPDX-License-Identifier: MIT
#include "app/cli/comparecommand.h"

#include "app/cli/synccommand.h"

#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/profilecompare.h"

#include <ostream> // ostream

namespace decksync::cli {
namespace {

void printDifference(std::ostream& out, const ProfileDifference& d)
{
    out << "  " << d.id.toString() << " \"" << d.label << "\": ";
    switch (d.kind) {
    case ProfileDifference::Kind::SeedDeletes: out << "the seed deletes it, safe keeps it\n"; break;
    case ProfileDifference::Kind::SafeDeletes: out << "safe deletes it, the seed keeps it\n"; break;
    case ProfileDifference::Kind::Differs: out << "both keep it, differently\n"; break;
    }
    for (const FieldDifference& f : d.fields)
        out << "    " << f.name << ": seed " << f.seed.display() << ", safe " << f.safe.display() << " (from "
            << f.safeFrom << ")\n";
    if (!d.seedReason.empty())
        out << "    seed: " << d.seedReason << '\n';
    if (!d.safeReason.empty())
        out << "    safe: " << d.safeReason << '\n';
}

} // namespace

int runCompare(const CompareArgs& args, std::ostream& out, std::ostream& err)
{
    std::optional<Timestamp> now = systemNow();
    if (args.now && !(now = parseOption("--now", *args.now, err)))
        return BadInput;
    LoadedSides sides;
    if (!loadSides(args.localPath, args.serverPath, args.basePath, args.allowDuplicateIds, sides, err))
        return BadInput;
    SyncOptions options;
    options.now = *now;
    options.lastSync = sides.local.last_sync;
    if (!applyLastSyncOption(args.lastSync, options.lastSync, err))
        return BadInput;
    const ProfileComparison c = compareProfiles(sides.local, sides.server, sides.base ? &*sides.base : nullptr, options);

    if (args.reportPath) {
        std::string why;
        const bool written = writeFileAtomically(
            *args.reportPath,
            [&](OutputSink& sink) {
                JsonWriter w(sink);
                codec::writeComparison(w, c);
                w.finish();
            },
            &why);
        if (!written) {
            err << "decksync: error: " << why << '\n';
            return OutputFailed;
        }
    }

    out << "seed against safe: local " << args.localPath << ", server " << args.serverPath << ", "
        << (args.basePath ? "base " + *args.basePath : std::string("no base (safe decides per item by last_sync)"))
        << "\nlast_sync " << (options.lastSync ? options.lastSync->toString() : std::string("null")) << ", now "
        << options.now.toString() << '\n';
    if (c.seedTimeSpent != c.safeTimeSpent)
        out << "study time: the seed counts " << c.seedTimeSpent << " s, safe " << c.safeTimeSpent << " s\n";
    if (c.differences.empty()) {
        out << "the two profiles give the same result\n";
    } else {
        for (DataType t : AllDataTypes) {
            std::size_t n = 0;
            for (const ProfileDifference& d : c.differences)
                n += d.type == t;
            if (n == 0)
                continue;
            out << '\n' << dataTypeName(t) << ": " << n << (n == 1 ? " item differs\n" : " items differ\n");
            for (const ProfileDifference& d : c.differences) {
                if (d.type == t)
                    printDifference(out, d);
            }
        }
    }
    if (args.reportPath)
        out << "wrote " << *args.reportPath << '\n';
    return Success;
}

} // namespace decksync::cli
