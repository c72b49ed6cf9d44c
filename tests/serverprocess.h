// SPDX-License-Identifier: MIT
#pragma once

#include <QDeadlineTimer>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

/// A real decksync-server on a free loopback port, for tests: users are added with the
/// binary's own add-user command; stop() returns everything it printed. The environment
/// variable DECKSYNC_TEST_SERVER names another binary to test (an older build, say).
class ServerProcess {
public:
    static constexpr int TimeoutMs = 15000;

    static QString binary()
    {
        const QString other = qEnvironmentVariable("DECKSYNC_TEST_SERVER");
        return other.isEmpty() ? QStringLiteral(DECKSYNC_SERVER_PATH) : other;
    }

    explicit ServerProcess(QString db)
        : m_db(std::move(db))
    {
    }
    ~ServerProcess() { stop(); }

    /// A new user's token (empty on failure).
    QByteArray addUser(const QString& email, const QString& role = QStringLiteral("user")) const
    {
        QProcess p;
        p.start(binary(),
                {QStringLiteral("add-user"), email, QStringLiteral("--role"), role, QStringLiteral("--db"), m_db});
        if (!p.waitForFinished(TimeoutMs) || p.exitCode() != 0)
            return {};
        return p.readAllStandardOutput().trimmed();
    }

    /// Starts the server; returns its base URL, e.g. http://127.0.0.1:41234 (empty on failure).
    QString start(const QStringList& extra = {})
    {
        m_process = std::make_unique<QProcess>();
        m_process->start(binary(),
                         QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--db"), m_db} + extra);
        if (!m_process->waitForStarted(TimeoutMs))
            return {};
        // The log of an earlier run stays; this run's first line says where it listens.
        const qsizetype from = m_log.size();
        const QDeadlineTimer deadline(TimeoutMs);
        while (m_log.indexOf('\n', from) < 0 && !deadline.hasExpired() && m_process->state() == QProcess::Running) {
            m_process->waitForReadyRead(100);
            m_log += m_process->readAllStandardOutput();
        }
        const QByteArray line = m_log.mid(from, m_log.indexOf('\n', from) - from);
        const QByteArray prefix = "listening on ";
        return line.startsWith(prefix) ? QString::fromLatin1(line.mid(prefix.size())) : QString();
    }

    [[nodiscard]] qint64 pid() const { return m_process ? m_process->processId() : 0; }

    /// Sends SIGTERM and waits; the exit code (-1 if it crashed or did not stop).
    int terminate()
    {
        if (!m_process)
            return -1;
        m_process->terminate();
        if (!m_process->waitForFinished(TimeoutMs) || m_process->exitStatus() != QProcess::NormalExit)
            return -1;
        return m_process->exitCode();
    }

    /// Kills the server; returns all it printed.
    QByteArray stop()
    {
        if (m_process) {
            m_process->kill();
            m_process->waitForFinished(TimeoutMs);
            m_log += m_process->readAllStandardOutput() + m_process->readAllStandardError();
            m_process.reset();
        }
        return m_log;
    }

private:
    QString m_db;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
};
