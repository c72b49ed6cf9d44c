// SPDX-License-Identifier: MIT
// decksync: the headless command line of DeckSync Inspector.
#include "app/cli/comparecommand.h"
#include "app/cli/replaycommand.h"
#include "app/cli/reportcommand.h"
#include "app/cli/synccommand.h"
#include "app/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QGuiApplication>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string_view>

using namespace Qt::StringLiterals;
using decksync::cli::ExitCode;

namespace {

std::optional<std::string> optionalValue(const QCommandLineParser& parser, const QString& name)
{
    if (!parser.isSet(name))
        return std::nullopt;
    return parser.value(name).toStdString();
}

int usageError(const QString& message)
{
    std::cerr << "decksync: error: " << message.toStdString() << "\nTry 'decksync --help'.\n";
    return ExitCode::BadInput;
}

int runSyncCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Sync a local dataset with a server dataset the way the sync engine does, "
                                     "and write the new server state and a report."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"local"_s, u"The device's dataset (JSON)."_s, u"FILE"_s},
        {u"server"_s, u"The server's dataset (JSON)."_s, u"FILE"_s},
        {u"base"_s, u"The state both sides agreed on at their last sync (JSON), for --profile safe."_s, u"FILE"_s},
        {u"last-sync"_s, u"Overrides the local file's last_sync (RFC 3339, or null)."_s, u"TS"_s},
        {u"now"_s, u"Fixes the clock (RFC 3339); default: the system clock."_s, u"TS"_s},
        {u"profile"_s, u"Engine rules: seed (the specification's, the default) or safe (a three-way merge against "
                       u"--base that never deletes what a side did not delete)."_s, u"NAME"_s, u"seed"_s},
        {u"out"_s, u"Write the merged dataset (the new server state) here."_s, u"FILE"_s},
        {u"report"_s, u"Write stats, conflicts, diagnostics and decisions here."_s, u"FILE"_s},
        {u"bundle"_s, u"Also write a repro bundle of this run (replay it with 'decksync replay')."_s, u"FILE"_s},
        {u"quiet"_s, u"Print nothing on success."_s},
        {u"timings"_s, u"Print the time each phase took to stderr."_s},
        {u"allow-duplicate-ids"_s, u"Sync a dataset that names one item twice, as the seed would (a warning "
                                   u"per repeat), instead of refusing it."_s},
    });
    parser.addPositionalArgument(u"sync"_s, u"The command."_s);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        std::cout << parser.helpText().toStdString();
        return ExitCode::Success;
    }
    if (parser.positionalArguments().size() > 1)
        return usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().at(1)));
    for (const QString& required : {u"local"_s, u"server"_s}) {
        if (!parser.isSet(required))
            return usageError(u"--%1 FILE is required"_s.arg(required));
    }
    decksync::cli::SyncArgs args;
    args.localPath = parser.value(u"local"_s).toStdString();
    args.serverPath = parser.value(u"server"_s).toStdString();
    args.basePath = optionalValue(parser, u"base"_s);
    args.lastSync = optionalValue(parser, u"last-sync"_s);
    args.now = optionalValue(parser, u"now"_s);
    args.profile = parser.value(u"profile"_s).toStdString();
    args.outPath = optionalValue(parser, u"out"_s);
    args.reportPath = optionalValue(parser, u"report"_s);
    args.bundlePath = optionalValue(parser, u"bundle"_s);
    args.quiet = parser.isSet(u"quiet"_s);
    args.timings = parser.isSet(u"timings"_s);
    args.allowDuplicateIds = parser.isSet(u"allow-duplicate-ids"_s);
    args.exitWithoutTeardown = true;
    const int code = decksync::cli::runSync(args, std::cout, std::cerr);
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(code); // see SyncArgs::exitWithoutTeardown
}

int runCompareCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Sync under the seed profile and under the safe one, and print where the "
                                     "results differ: what the seed deletes and safe keeps, the study time each "
                                     "counts, and the fields taken from another side."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"local"_s, u"The device's dataset (JSON)."_s, u"FILE"_s},
        {u"server"_s, u"The server's dataset (JSON)."_s, u"FILE"_s},
        {u"base"_s, u"The state both sides agreed on at their last sync (JSON)."_s, u"FILE"_s},
        {u"last-sync"_s, u"Overrides the local file's last_sync (RFC 3339, or null)."_s, u"TS"_s},
        {u"now"_s, u"Fixes the clock (RFC 3339); default: the system clock."_s, u"TS"_s},
        {u"report"_s, u"Write the comparison here as JSON."_s, u"FILE"_s},
        {u"allow-duplicate-ids"_s, u"Compare datasets that name one item twice instead of refusing them."_s},
    });
    parser.addPositionalArgument(u"compare"_s, u"The command."_s);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        std::cout << parser.helpText().toStdString();
        return ExitCode::Success;
    }
    if (parser.positionalArguments().size() > 1)
        return usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().at(1)));
    for (const QString& required : {u"local"_s, u"server"_s}) {
        if (!parser.isSet(required))
            return usageError(u"--%1 FILE is required"_s.arg(required));
    }
    decksync::cli::CompareArgs args;
    args.localPath = parser.value(u"local"_s).toStdString();
    args.serverPath = parser.value(u"server"_s).toStdString();
    args.basePath = optionalValue(parser, u"base"_s);
    args.lastSync = optionalValue(parser, u"last-sync"_s);
    args.now = optionalValue(parser, u"now"_s);
    args.reportPath = optionalValue(parser, u"report"_s);
    args.allowDuplicateIds = parser.isSet(u"allow-duplicate-ids"_s);
    return decksync::cli::runCompare(args, std::cout, std::cerr);
}

int runReplayCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Run a repro bundle again and compare the result with the recorded one."_s);
    parser.addHelpOption();
    parser.addOption({u"out-dir"_s, u"Also write the new merged state and report into this folder."_s, u"DIR"_s});
    parser.addPositionalArgument(u"replay"_s, u"The command."_s);
    parser.addPositionalArgument(u"BUNDLE"_s, u"The bundle (from 'decksync sync --bundle' or the inspector)."_s);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        std::cout << parser.helpText().toStdString();
        return ExitCode::Success;
    }
    if (parser.positionalArguments().size() != 2)
        return usageError(u"usage: decksync replay BUNDLE [--out-dir DIR]"_s);
    return decksync::cli::runReplay(parser.positionalArguments().at(1).toStdString(),
                                    optionalValue(parser, u"out-dir"_s), std::cout, std::cerr);
}

int runReportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Write a support case's report: the summary, what changes for the user on "
                                     "each side by name, every conflict with both sides, the result and its "
                                     "reason, and every warning. Nothing else is written."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"local"_s, u"The device's dataset (JSON)."_s, u"FILE"_s},
        {u"server"_s, u"The server's dataset (JSON)."_s, u"FILE"_s},
        {u"base"_s, u"The state both sides agreed on at their last sync (JSON), for --profile safe."_s, u"FILE"_s},
        {u"last-sync"_s, u"Overrides the local file's last_sync (RFC 3339, or null)."_s, u"TS"_s},
        {u"now"_s, u"Fixes the clock (RFC 3339); default: the system clock."_s, u"TS"_s},
        {u"profile"_s, u"Engine rules: seed (the default) or safe."_s, u"NAME"_s, u"seed"_s},
        {u"format"_s, u"md, html or pdf; default: from the name of --out."_s, u"FORMAT"_s},
        {u"out"_s, u"Write the report here ('-': Markdown or HTML to standard output)."_s, u"FILE"_s},
        {u"allow-duplicate-ids"_s, u"Report on datasets that name one item twice instead of refusing them."_s},
    });
    parser.addPositionalArgument(u"report"_s, u"The command."_s);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        std::cout << parser.helpText().toStdString();
        return ExitCode::Success;
    }
    if (parser.positionalArguments().size() > 1)
        return usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().at(1)));
    for (const QString& required : {u"local"_s, u"server"_s, u"out"_s}) {
        if (!parser.isSet(required))
            return usageError(u"--%1 is required"_s.arg(required));
    }
    decksync::cli::ReportArgs args;
    args.localPath = parser.value(u"local"_s).toStdString();
    args.serverPath = parser.value(u"server"_s).toStdString();
    args.basePath = optionalValue(parser, u"base"_s);
    args.lastSync = optionalValue(parser, u"last-sync"_s);
    args.now = optionalValue(parser, u"now"_s);
    args.profile = parser.value(u"profile"_s).toStdString();
    args.format = parser.value(u"format"_s).toStdString();
    args.outPath = parser.value(u"out"_s).toStdString();
    args.allowDuplicateIds = parser.isSet(u"allow-duplicate-ids"_s);
    return decksync::cli::runReport(args, std::cout, std::cerr);
}

} // namespace

int main(int argc, char** argv)
{
    // A report may be printed to PDF, which needs Qt's GUI classes (fonts): headless, on the
    // offscreen platform unless one is asked for. Every other command needs only Qt Core.
    const bool report = argc > 1 && std::string_view(argv[1]) == "report";
    if (report && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> application =
        report ? std::make_unique<QGuiApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(u"decksync"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(DECKSYNC_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.size() > 1 ? arguments.at(1) : QString();
    if (command == u"sync")
        return runSyncCommand(arguments);
    if (command == u"replay")
        return runReplayCommand(arguments);
    if (command == u"compare")
        return runCompareCommand(arguments);
    if (command == u"report")
        return runReportCommand(arguments);
    if (command == u"--version" || command == u"-v") {
        std::cout << "decksync " << DECKSYNC_VERSION << " (" << DECKSYNC_BUILD << "; Qt " << qVersion() << ")\n";
        return ExitCode::Success;
    }
    const char* help = "Usage: decksync COMMAND [options]\n"
                       "\n"
                       "Commands:\n"
                       "  sync     Sync a local and a server dataset; write the merged state and a report.\n"
                       "           decksync sync --local L.json --server S.json [--last-sync TS] [--now TS]\n"
                       "                         [--profile seed|safe] [--base BASE.json] [--out MERGED.json]\n"
                       "                         [--report REPORT.json] [--bundle REPRO.json]\n"
                       "  compare  Sync under both profiles; print where the seed and safe differ.\n"
                       "           decksync compare --local L.json --server S.json [--base BASE.json]\n"
                       "                            [--last-sync TS] [--now TS] [--report DIFF.json]\n"
                       "  replay   Run a repro bundle again; report any difference from the recorded result.\n"
                       "           decksync replay REPRO.json [--out-dir DIR]\n"
                       "  report   Write a support case's report (what changes for the user, every conflict).\n"
                       "           decksync report --local L.json --server S.json --out CASE.pdf|.html|.md\n"
                       "                           [--format md|html|pdf] [--base BASE.json] [--now TS]\n"
                       "\n"
                       "Options:\n"
                       "  -h, --help     Show this help; 'decksync sync --help' for the command's options.\n"
                       "  -v, --version  Show the version.\n"
                       "\n"
                       "Exit status: 0 success, 1 an output could not be written (replay: the result differs),\n"
                       "2 bad input or usage.\n";
    if (command == u"--help" || command == u"-h" || command == u"help") {
        std::cout << help;
        return ExitCode::Success;
    }
    if (command.isEmpty()) {
        std::cerr << help;
        return ExitCode::BadInput;
    }
    return usageError(u"unknown command '%1'"_s.arg(command));
}
