// SPDX-License-Identifier: MIT
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

#include <unistd.h>

/// A real PostgreSQL 15 for the tests: initdb into a temporary folder, started on a free
/// loopback port, stopped (and its folder removed) when it goes, also after a failed test.
/// PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user
/// through runuser. Each database() is a new, empty database on it.
class PgCluster {
public:
    static constexpr int TimeoutMs = 60000;

    PgCluster() = default;
    ~PgCluster() { stop(); }
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    /// Where Debian puts PostgreSQL 15's programs.
    static QString bin(const QString& program) { return QStringLiteral("/usr/lib/postgresql/15/bin/") + program; }

    /// Starts the cluster; empty on success, otherwise what went wrong.
    QString start()
    {
        if (!QFile::exists(bin(QStringLiteral("initdb"))))
            return QStringLiteral("PostgreSQL 15 is not installed (scripts/deps.sh test installs postgresql-15)");
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/decksync-pg-XXXXXX"));
        if (!m_dir->isValid())
            return QStringLiteral("no temporary folder");
        m_data = m_dir->filePath(QStringLiteral("data"));
        if (geteuid() == 0) {
            // The folder is the postgres user's, so that it can initdb into it.
            QProcess::execute(QStringLiteral("chown"), {QStringLiteral("postgres:postgres"), m_dir->path()});
        }
        if (QString why = run(bin(QStringLiteral("initdb")),
                              {QStringLiteral("-D"), m_data, QStringLiteral("-A"), QStringLiteral("trust"),
                               QStringLiteral("-U"), QStringLiteral("decksync"), QStringLiteral("-E"),
                               QStringLiteral("UTF8"), QStringLiteral("--no-sync")});
            !why.isEmpty())
            return why;
        m_port = freePort();
        const QString options = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=on")
                                    .arg(m_port)
                                    .arg(m_dir->path());
        if (QString why = run(bin(QStringLiteral("pg_ctl")),
                              {QStringLiteral("-D"), m_data, QStringLiteral("-o"), options, QStringLiteral("-l"),
                               m_dir->filePath(QStringLiteral("log")), QStringLiteral("-w"), QStringLiteral("start")});
            !why.isEmpty())
            return why;
        m_running = true;
        return {};
    }

    /// Stops the cluster at once and starts it again on the same data and port, as a database
    /// server restarting under a running decksync-server; empty on success.
    QString restart()
    {
        if (!m_running)
            return QStringLiteral("the cluster is not running");
        return run(bin(QStringLiteral("pg_ctl")), {QStringLiteral("-D"), m_data, QStringLiteral("-m"),
                                                   QStringLiteral("immediate"), QStringLiteral("-w"),
                                                   QStringLiteral("restart")});
    }

    /// Stops the cluster at once (no checkpoint: the folder is removed after).
    void stop()
    {
        if (m_running) {
            run(bin(QStringLiteral("pg_ctl")),
                {QStringLiteral("-D"), m_data, QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w"),
                 QStringLiteral("stop")});
            m_running = false;
        }
        m_dir.reset();
    }

    /// A new, empty database; its postgresql:// URL (empty on failure).
    QString database()
    {
        const QString name = QStringLiteral("t%1").arg(++m_databases);
        if (!run(bin(QStringLiteral("createdb")),
                 {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                  QStringLiteral("-U"), QStringLiteral("decksync"), name})
                 .isEmpty())
            return {};
        return QStringLiteral("postgresql://decksync@127.0.0.1:%1/%2").arg(m_port).arg(name);
    }

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QString log() const
    {
        QFile f(m_dir ? m_dir->filePath(QStringLiteral("log")) : QString());
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private:
    /// Runs `program` as the postgres user when root; empty, or its output when it failed.
    static QString run(const QString& program, const QStringList& args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setWorkingDirectory(QDir::tempPath());
        if (geteuid() == 0)
            p.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                                           QStringLiteral("--"), program} + args);
        else
            p.start(program, args);
        if (!p.waitForFinished(TimeoutMs) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return program + QStringLiteral(" failed: ") + QString::fromUtf8(p.readAll()) + p.errorString();
        return {};
    }

    static int freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_data;
    int m_port = 0;
    int m_databases = 0;
    bool m_running = false;
};
