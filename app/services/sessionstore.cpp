// SPDX-License-Identifier: MIT
#include "app/services/sessionstore.h"

#include "app/services/inspectorsession.h"
#include "engine/fileio.h"
#include "engine/jsondocument.h"
#include "engine/resolutioncodec.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

using namespace decksync;
using namespace Qt::StringLiterals;

SessionStore::SessionStore(InspectorSession* session, QString path, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_path(path.isEmpty()
                 ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/session.json"_s
                 : std::move(path))
{
    decksync::removeStaleTemporaries(m_path.toStdString()); // left by an inspector killed while saving
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &SessionStore::saveOrWarn);
    connect(m_session, &InspectorSession::resolutionChanged, this, &SessionStore::scheduleSave);
    connect(m_session, &InspectorSession::resolutionsReset, this, &SessionStore::scheduleSave);
    connect(m_session, &InspectorSession::snapshotChanged, this, [this] {
        if (m_pendingResolutions) {
            // Only onto the pair being restored: after a refused restore (duplicate ids, then
            // Cancel) the next pair loaded is another one.
            const auto local = m_session->localSide();
            const bool restoring = local && local->path == m_pendingLocalPath;
            if (restoring)
                m_session->restoreResolutions(std::move(*m_pendingResolutions));
            m_pendingResolutions.reset();
            if (restoring)
                Q_EMIT restored();
        }
        scheduleSave();
    });
    connect(m_session, &InspectorSession::loadFailed, this, [this] { m_pendingResolutions.reset(); });
    // The resolutions being applied are saved before any file is touched, so that a crash in
    // the middle of Apply loses none of them.
    connect(m_session, &InspectorSession::applyStarted, this, &SessionStore::saveOrWarn);
    // A clean close writes at once: nothing pending is lost to the debounce.
    connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, &SessionStore::saveOrWarn);
}

void SessionStore::scheduleSave()
{
    if (!m_pendingResolutions) // not while a restore is still loading
        m_debounce.start();
}

void SessionStore::saveOrWarn()
{
    if (const Outcome<> saved = saveNow(); !saved)
        qWarning("The session was not saved: %ls", qUtf16Printable(saved.error()));
}

Outcome<> SessionStore::saveNow()
{
    m_debounce.stop();
    const auto local = m_session->localSide();
    const auto server = m_session->serverSide();
    if (!local || !server)
        return {};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    auto timestampOrNull = [](const std::optional<Timestamp>& t) {
        return t ? nlohmann::ordered_json(t->toString()) : nlohmann::ordered_json(nullptr);
    };
    std::string text;
    try {
        nlohmann::ordered_json doc{{"local", local->path.toStdString()},
                                   {"server", server->path.toStdString()},
                                   {"now", timestampOrNull(m_session->fixedNow())}};
        if (const auto last = m_session->lastSyncOverride())
            doc["last_sync"] = timestampOrNull(*last);
        doc["resolutions"] = nlohmann::ordered_json::parse(codec::encodeResolutions(m_session->resolutions()));
        text = doc.dump(2) + '\n';
    } catch (const nlohmann::ordered_json::exception& e) { // text that is not UTF-8
        return fail(m_path + u": cannot write the session: "_s + QString::fromUtf8(e.what()));
    }
    std::string why;
    if (!writeFileAtomically(m_path.toStdString(), [&](OutputSink& sink) { sink.write(text); }, &why))
        return fail(QString::fromStdString(why));
    return {};
}

Outcome<std::optional<SessionState>> SessionStore::load() const
{
    std::string why;
    const auto text = readFile(m_path.toStdString(), &why);
    if (!text) {
        if (!QFileInfo::exists(m_path))
            return std::nullopt; // no saved session yet
        return fail(m_path + u": "_s + QString::fromStdString(why));
    }
    auto decoded = decodeJsonDocument<SessionState>(*text, [](const jsondoc::Json& doc) {
        using jsondoc::Pointer;
        jsondoc::expectType(doc, Pointer(), jsondoc::Json::value_t::object);
        SessionState s;
        if (doc.contains("local"))
            s.localPath = QString::fromStdString(jsondoc::stringAt(doc, Pointer("/local")));
        if (doc.contains("server"))
            s.serverPath = QString::fromStdString(jsondoc::stringAt(doc, Pointer("/server")));
        if (doc.contains("now"))
            s.fixedNow = jsondoc::optionalTimestampAt(doc, Pointer("/now"));
        if (doc.contains("last_sync"))
            s.lastSyncOverride = jsondoc::optionalTimestampAt(doc, Pointer("/last_sync"));
        if (doc.contains("resolutions"))
            s.resolutions = jsondoc::decodeAt(doc, Pointer("/resolutions"), &codec::decodeResolutions);
        return s;
    });
    if (!decoded.ok()) {
        decoded.error().file = m_path.toStdString();
        return fail(QString::fromStdString(decoded.error().toString()));
    }
    if (decoded->localPath.isEmpty() || decoded->serverPath.isEmpty())
        return std::nullopt; // nothing to restore
    return std::optional<SessionState>(std::move(decoded.value()));
}

void SessionStore::clear()
{
    m_debounce.stop();
    QFile::remove(m_path);
}

void SessionStore::restore(const SessionState& state)
{
    m_pendingResolutions = state.resolutions;
    m_pendingLocalPath = state.localPath;
    m_session->setFixedNow(state.fixedNow);
    m_session->setLastSyncOverride(state.lastSyncOverride);
    m_session->load(state.localPath, state.serverPath);
}
