// SPDX-License-Identifier: MIT
#include "app/cli/reportcommand.h"

#include "app/cli/synccommand.h"
#include "app/services/reportwriter.h"
#include "engine/casereport.h"
#include "engine/datasetcodec.h"

#include <ostream> // ostream

namespace decksync::cli {

int runReport(const ReportArgs& args, std::ostream& out, std::ostream& err)
{
    const QString path = QString::fromStdString(args.outPath);
    const std::optional<ReportFormat> format =
        !args.format.empty() ? reportFormatFromName(QString::fromStdString(args.format))
        : args.outPath == "-" ? std::optional<ReportFormat>(ReportFormat::Markdown)
                              : reportFormatOfPath(path);
    if (!format) {
        err << "decksync: error: --format: " << (args.format.empty() ? "give md, html or pdf (the name of --out "
                                                                       "does not say)"
                                                                     : codec::quoteForMessage(args.format)
                                                                           + " is not one of md, html, pdf")
            << '\n';
        return BadInput;
    }
    if (args.outPath == "-" && *format == ReportFormat::Pdf) {
        err << "decksync: error: --out -: a PDF goes to a file\n";
        return BadInput;
    }
    const auto profile = parseProfileOption(args.profile, err);
    if (!profile)
        return BadInput;
    std::optional<Timestamp> now = systemNow();
    if (args.now && !(now = parseOption("--now", *args.now, err)))
        return BadInput;
    LoadedSides sides;
    if (!loadSides(args.localPath, args.serverPath, args.basePath, args.allowDuplicateIds, sides, err))
        return BadInput;
    SyncOptions options;
    options.now = *now;
    options.profile = *profile;
    options.lastSync = sides.local.last_sync;
    if (!applyLastSyncOption(args.lastSync, options.lastSync, err))
        return BadInput;
    std::shared_ptr<const Dataset> base = sides.base ? std::make_shared<const Dataset>(std::move(*sides.base)) : nullptr;
    const auto snapshot = SyncSnapshot::create(std::make_shared<const Dataset>(std::move(sides.local)),
                                               std::make_shared<const Dataset>(std::move(sides.server)), options,
                                               nullptr, std::move(base));
    const CaseReport report(*snapshot, ResolutionSet{}, {args.localPath, args.serverPath, args.basePath.value_or("")});
    if (args.outPath == "-") {
        out << (*format == ReportFormat::Html ? report.html() : report.markdown());
        return Success;
    }
    if (const Outcome<> written = writeCaseReport(report, path, *format); !written) {
        err << "decksync: error: " << written.error().toStdString() << '\n';
        return OutputFailed;
    }
    return Success;
}

} // namespace decksync::cli
