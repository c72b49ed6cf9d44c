// SPDX-License-Identifier: MIT
// decksync-inspector: the desktop inspector.
#include "app/services/historystore.h"
#include "app/services/inspectorsession.h"
#include "app/services/serverclient.h"
#include "app/services/sessionstore.h"
#include "app/services/writerecovery.h"
#include "app/version.h"
#include "ui/historyview.h"
#include "ui/mainwindow.h"
#include "ui/runoptionsbar.h"

#include <QApplication>
#include <QIcon>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSysInfo>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <string_view>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

/// --select TYPE:ID, e.g. decks:3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081.
std::optional<std::pair<decksync::DataType, decksync::Uuid>> parseSelection(const QString& text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon < 0)
        return std::nullopt;
    const auto type = decksync::dataTypeFromName(text.left(colon).toStdString());
    const auto id = decksync::Uuid::parse(text.mid(colon + 1).toStdString());
    if (!type || !id)
        return std::nullopt;
    return std::pair{*type, *id};
}

int usageError(const QString& message)
{
    std::fprintf(stderr, "decksync-inspector: error: %s\n", qPrintable(message));
    return 2;
}

void setUpParser(QCommandLineParser& parser)
{
    parser.setApplicationDescription(u"See, replay and repair the sync of a flashcard app."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {u"local"_s, u"The device's dataset to open."_s, u"FILE"_s},
        {u"server"_s, u"The server's dataset to open."_s, u"FILE"_s},
        {u"base"_s, u"The state both sides agreed on at their last sync (for the safe profile)."_s, u"FILE"_s},
        {u"profile"_s, u"The engine's rules: seed (the default) or safe."_s, u"NAME"_s},
        {u"now"_s, u"Fix the engine clock (RFC 3339)."_s, u"TS"_s},
        {u"last-sync"_s, u"Override the local file's last_sync (RFC 3339 or null)."_s, u"TS"_s},
        {u"select"_s, u"Select an item after loading: TYPE:ID."_s, u"TYPE:ID"_s},
        {u"connect"_s, u"Sync --local against a live server; the token comes from $DECKSYNC_TOKEN."_s, u"URL"_s},
        {u"act-as"_s, u"With --connect and a support token: the user to inspect."_s, u"EMAIL"_s},
        {u"history"_s, u"The history file (default: in the user's data folder)."_s, u"FILE"_s},
        {u"session-file"_s,
         u"The session file kept for crash recovery (default: in the user's data folder). --session FILE "
         u"works too."_s,
         u"FILE"_s},
        {u"no-restore"_s, u"Do not offer to restore the previous session."_s},
        {u"tab"_s, u"The tab to show: conflicts, history or compare (seed vs safe)."_s, u"NAME"_s},
        {u"screenshot"_s, u"Render the window to a PNG and exit."_s, u"OUT.png"_s},
        {u"size"_s, u"Window size for --screenshot, WIDTHxHEIGHT."_s, u"SIZE"_s, u"1440x900"_s},
    });
    // One entry for both: Qt prints each positional's syntax in the usage line, so two would
    // read "[LOCAL [SERVER]] SERVER".
    parser.addPositionalArgument(u"files"_s, u"The device's dataset, then the server's (as --local and --server)."_s,
                                 u"[LOCAL [SERVER]]"_s);
}

void setUpNames()
{
    QCoreApplication::setOrganizationName(u"DeckSync"_s);
    QCoreApplication::setApplicationName(u"decksync-inspector"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(DECKSYNC_VERSION));
}

/// The arguments with `--session FILE` (or `-session FILE`) renamed `--session-file FILE`.
/// Qt's session management takes "-session ID" (with one dash or two) out of the arguments
/// before any parser sees them, so the inspector's own option has another name; the old
/// spelling keeps working because it is renamed before Qt reads the arguments.
std::vector<char*> withSessionFileOption(int argc, char** argv)
{
    static char renamed[] = "--session-file";
    std::vector<char*> out(argv, argv + argc);
    for (int i = 1; i + 1 < argc; ++i) {
        const std::string_view a(argv[i]);
        if (a == "--")
            break;
        if (a == "--session" || a == "-session")
            out[static_cast<std::size_t>(i)] = renamed;
    }
    out.push_back(nullptr); // argv[argc] is a null pointer
    return out;
}

/// --help and --version need no display: answer them before any window system is touched.
bool wantsInfoOnly(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view a(argv[i]);
        if (a == "--help" || a == "-h" || a == "--help-all" || a == "--version" || a == "-v")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    if (wantsInfoOnly(argc, argv)) {
        QCoreApplication info(argc, argv);
        setUpNames();
        QCommandLineParser parser;
        setUpParser(parser);
        parser.process(info); // prints and exits
        return 0;
    }
    std::vector<char*> arguments = withSessionFileOption(argc, argv);
    QApplication app(argc, arguments.data()); // QApplication keeps a reference to argc
    setUpNames();
    QApplication::setApplicationDisplayName(u"DeckSync Inspector"_s);
    QGuiApplication::setDesktopFileName(u"io.github.decksync.Inspector"_s);
    QIcon icon = QIcon::fromTheme(u"io.github.decksync.Inspector"_s);
    if (icon.isNull()) {
        icon.addFile(u":/icons/app-48.png"_s);
        icon.addFile(u":/icons/app-256.png"_s);
    }
    QApplication::setWindowIcon(icon);
    QCommandLineParser parser;
    setUpParser(parser);
    parser.process(app);

    // Files given as arguments (a file manager's "Open with") count as --local and --server.
    const QStringList files = parser.positionalArguments();
    if (files.size() > 2)
        return usageError(u"at most two files: LOCAL and SERVER"_s);
    const QString local = parser.isSet(u"local"_s) ? parser.value(u"local"_s) : files.value(0);
    const QString server = parser.isSet(u"server"_s) ? parser.value(u"server"_s) : files.value(1);
    const QString connectUrl = parser.value(u"connect"_s);
    if (!connectUrl.isEmpty() && (local.isEmpty() || !server.isEmpty()))
        return usageError(u"--connect URL goes with --local FILE (the server side comes from the server)"_s);
    if (connectUrl.isEmpty() && !local.isEmpty() && server.isEmpty() && files.isEmpty())
        return usageError(u"--local and --server go together"_s);
    if (!connectUrl.isEmpty() && qEnvironmentVariableIsEmpty("DECKSYNC_TOKEN"))
        return usageError(u"--connect needs the token in the environment variable DECKSYNC_TOKEN"_s);
    std::optional<std::pair<decksync::DataType, decksync::Uuid>> selection;
    if (parser.isSet(u"select"_s) && !(selection = parseSelection(parser.value(u"select"_s))))
        return usageError(u"--select: expected TYPE:ID, e.g. decks:3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081"_s);

    MainWindow window;
    window.session()->setHistoryPath(parser.isSet(u"history"_s) ? parser.value(u"history"_s) : HistoryStore::defaultPath());
    if (parser.isSet(u"now"_s))
        window.runOptions()->setFixedNow(decksync::Timestamp::parse(parser.value(u"now"_s).toStdString()));
    if (parser.isSet(u"last-sync"_s)) {
        const QString value = parser.value(u"last-sync"_s);
        window.runOptions()->setLastSyncOverride(
            value == u"null" ? std::optional<std::optional<decksync::Timestamp>>(std::optional<decksync::Timestamp>())
                             : std::optional<std::optional<decksync::Timestamp>>(decksync::Timestamp::parse(value.toStdString())));
    }
    if (parser.isSet(u"profile"_s)) {
        const auto profile = decksync::profileFromName(parser.value(u"profile"_s).toStdString());
        if (!profile)
            return usageError(u"--profile: unknown profile \"%1\" (available: seed, safe)"_s.arg(parser.value(u"profile"_s)));
        window.runOptions()->setProfile(*profile);
    }
    if (parser.isSet(u"base"_s)) {
        if (local.isEmpty())
            return usageError(u"--base FILE goes with --local FILE"_s);
        window.session()->setBaseFile(parser.value(u"base"_s), local);
    }
    QString error;
    if (!window.runOptions()->validate(&error))
        return usageError(error);
    // A crash in the middle of Apply or Rollback is finished from the history before anything
    // else reads the files.
    const Outcome<RecoveryReport> recovered = finishInterruptedWrites(window.session()->historyPath());
    window.historyView()->refresh();
    SessionStore sessionStore(window.session(), parser.value(u"session-file"_s));
    if (parser.value(u"tab"_s) == u"history")
        window.tabs()->setCurrentIndex(1);
    else if (parser.value(u"tab"_s) == u"compare")
        window.tabs()->setCurrentIndex(2);

    const QString screenshot = parser.value(u"screenshot"_s);
    if (!screenshot.isEmpty()) {
        const QStringList size = parser.value(u"size"_s).split(u'x');
        window.resize(size.value(0).toInt() > 0 ? size.value(0).toInt() : 1440, size.value(1).toInt() > 0 ? size.value(1).toInt() : 900);
    }
    int exitCode = 0;
    auto finish = [&] {
        if (screenshot.isEmpty())
            return;
        // Let layouts and the chart settle, then render.
        QTimer::singleShot(200, &window, [&] {
            if (!window.grab().save(screenshot)) {
                std::fprintf(stderr, "decksync-inspector: error: cannot write %s\n", qPrintable(screenshot));
                exitCode = 1;
            }
            QApplication::exit(exitCode);
        });
    };
    QObject::connect(window.session(), &InspectorSession::snapshotChanged, &window, [&] {
        if (selection) {
            window.select(selection->first, selection->second);
            selection.reset();
        }
        finish();
    });
    const auto failHeadless = [&](const QString& message) {
        if (!screenshot.isEmpty()) {
            std::fprintf(stderr, "decksync-inspector: error: %s\n", qPrintable(message));
            exitCode = 2;
            QApplication::exit(exitCode);
        }
    };
    QObject::connect(window.session(), &InspectorSession::loadFailed, &window, failHeadless);
    QObject::connect(window.session(), &InspectorSession::duplicateIdsFound, &window, failHeadless);
    window.show();
    if (!recovered || !recovered->isEmpty()) {
        const QString text = (recovered ? recovered->finished + recovered->leftAlone : QStringList{recovered.error()})
                                 .join(u'\n')
                                 .trimmed();
        std::fprintf(stderr, "decksync-inspector: %s\n", qPrintable(text));
        if (screenshot.isEmpty())
            QMessageBox::information(&window, QObject::tr("An interrupted write was finished"), text);
    }
    if (!connectUrl.isEmpty()) {
        window.serverClient()->setConnection({QUrl(connectUrl), qEnvironmentVariable("DECKSYNC_TOKEN"),
                                              parser.value(u"act-as"_s), u"inspector-"_s + QSysInfo::machineHostName()});
        window.connectToServer(local);
    } else if (!local.isEmpty() && !server.isEmpty()) {
        window.openPair(local, server);
    } else if (!local.isEmpty()) {
        window.openLater(local); // one file: it waits for its partner
    } else if (screenshot.isEmpty() && !parser.isSet(u"no-restore"_s)) {
        const Outcome<std::optional<SessionState>> loaded = sessionStore.load();
        if (!loaded) {
            std::fprintf(stderr, "decksync-inspector: the saved session cannot be read: %s\n",
                         qPrintable(loaded.error()));
        } else if (const std::optional<SessionState>& saved = *loaded) {
            const auto answer = QMessageBox::question(
                &window, QObject::tr("Restore the previous session?"),
                QObject::tr("The last session had %1 and %2 open with %n resolution(s) not applied. Restore it?", nullptr,
                            static_cast<int>(saved->resolutions.size()))
                    .arg(saved->localPath, saved->serverPath));
            if (answer == QMessageBox::Yes)
                sessionStore.restore(*saved);
            else
                sessionStore.clear();
        }
        finish();
    } else {
        finish();
    }
    const int code = app.exec();
    return exitCode ? exitCode : code;
}
