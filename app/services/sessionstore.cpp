// SPDX-License-Identifier: MIT
#include "app/services/sessionstore.h"

#include "app/services/inspectorsession.h"
#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/jsonreader.h"
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
    connect(&m_debounce, &QTimer::timeout, this, [this] { saveNow(); });
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
    connect(m_session, &InspectorSession::applyStarted, this, [this] { saveNow(); });
    // A clean close writes at once: nothing pending is lost to the debounce.
    connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, [this] { saveNow(); });
}

void SessionStore::scheduleSave()
{
    if (!m_pendingResolutions) // not while a restore is still loading
        m_debounce.start();
}

bool SessionStore::saveNow(QString* error)
{
    m_debounce.stop();
    const auto local = m_session->localSide();
    const auto server = m_session->serverSide();
    if (!local || !server)
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    std::string why;
    const bool ok = writeJsonFileAtomically(
        m_path.toStdString(),
        [&](JsonWriter& w) {
            w.beginObject();
            w.key("local");
            w.string(local->path.toStdString());
            w.key("server");
            w.string(server->path.toStdString());
            w.key("now");
            if (const auto now = m_session->fixedNow())
                w.timestamp(*now);
            else
                w.null();
            if (const auto last = m_session->lastSyncOverride()) {
                w.key("last_sync");
                if (*last)
                    w.timestamp(**last);
                else
                    w.null();
            }
            w.key("resolutions");
            codec::writeResolutions(w, m_session->resolutions());
            w.endObject();
        },
        &why);
    if (!ok && error)
        *error = QString::fromStdString(why);
    return ok;
}

std::optional<SessionState> SessionStore::load(QString* error) const
{
    std::string why;
    const auto text = readFile(m_path.toStdString(), &why);
    if (!text)
        return std::nullopt; // no saved session
    auto decoded = decodeWith<SessionState>(*text, [](JsonReader& r) {
        SessionState s;
        r.readObject([&](std::string_view key) {
            if (key == "local") {
                s.localPath = QString::fromStdString(std::string(r.readString()));
            } else if (key == "server") {
                s.serverPath = QString::fromStdString(std::string(r.readString()));
            } else if (key == "now") {
                s.fixedNow = codec::readOptionalTimestamp(r);
            } else if (key == "last_sync") {
                s.lastSyncOverride = codec::readOptionalTimestamp(r);
            } else if (key == "resolutions") {
                const std::string_view raw = r.skipValue();
                auto res = codec::decodeResolutions(raw);
                if (!res)
                    r.failHere("resolutions: " + res.error().message);
                s.resolutions = std::move(res.value());
            } else {
                r.skipValue();
            }
        });
        return s;
    });
    if (!decoded.ok()) {
        decoded.error().file = m_path.toStdString();
        if (error)
            *error = QString::fromStdString(decoded.error().toString());
        return std::nullopt;
    }
    if (decoded->localPath.isEmpty() || decoded->serverPath.isEmpty())
        return std::nullopt;
    return std::move(decoded.value());
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
