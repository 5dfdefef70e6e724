// SPDX-License-Identifier: Apache-2.0
// Runs a real server program (a gateway, a Node service) for one test on 127.0.0.1 and a port the
// system handed out, waits (bounded) until that port accepts TCP connections and stops it again in
// cleanup even when the test failed. The program's stdout and stderr go to one log file in the
// test's temporary directory so a failing test can print what the server said.
// Tests including this link Qt6::Network (tests/live.cmake does).
#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

namespace jwb::testing {

class LiveServer final {
public:
    // `name` names the log file (<dir>/<name>.log); `dir` must outlive the server.
    LiveServer(const QTemporaryDir& dir, const QString& name)
        : m_logPath(dir.filePath(name + QStringLiteral(".log"))), m_workDir(dir.path()) {}
    ~LiveServer() { stop(); }
    LiveServer(const LiveServer&) = delete;
    LiveServer& operator=(const LiveServer&) = delete;

    // A port that was free a moment ago: bind port 0, read it back, release it. The program binds
    // it next; the short window in between is the price of letting the program own its socket.
    // 0 when no port could be bound.
    static quint16 freePort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = probe.serverPort();
        probe.close();
        return port;
    }

    // The port start() waits for; picked on first use, so arguments and config files written
    // before start() can name it.
    quint16 port()
    {
        if (m_port == 0)
            m_port = freePort();
        return m_port;
    }
    QString baseUrl() { return QStringLiteral("http://127.0.0.1:%1").arg(port()); }

    // Starts `program` with `args` (each "{port}" in them replaced by port()) in `workDir` (the
    // temporary directory when empty) and waits up to `timeoutMs` until 127.0.0.1:port() accepts a
    // connection. False when the program does not start, exits early or never listens; error()
    // then says which, and log() holds what it printed.
    bool start(const QString& program, const QStringList& args,
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
               const QString& workDir = {}, int timeoutMs = 15000)
    {
        stop();
        m_error.clear();
        if (port() == 0) {
            m_error = QStringLiteral("no free port on 127.0.0.1");
            return false;
        }
        QStringList expanded;
        for (const QString& a : args)
            expanded << QString(a).replace(QStringLiteral("{port}"), QString::number(m_port));
        m_process.setProgram(program);
        m_process.setArguments(expanded);
        m_process.setProcessEnvironment(env);
        m_process.setWorkingDirectory(workDir.isEmpty() ? m_workDir : workDir);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(m_logPath, QIODevice::Append);
        m_process.setStandardInputFile(QProcess::nullDevice());
        m_process.start();
        if (!m_process.waitForStarted(timeoutMs)) {
            m_error = QStringLiteral("%1 did not start: %2").arg(program, m_process.errorString());
            return false;
        }
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_port);
            if (socket.waitForConnected(250)) {
                socket.abort();
                return true;
            }
            // Doubles as the pause between attempts and notices an early exit.
            if (m_process.waitForFinished(100) || m_process.state() == QProcess::NotRunning) {
                m_error = QStringLiteral("%1 exited (code %2) before listening on port %3")
                              .arg(program).arg(m_process.exitCode()).arg(m_port);
                return false;
            }
        }
        m_error = QStringLiteral("%1 did not listen on 127.0.0.1:%2 within %3 ms")
                      .arg(program).arg(m_port).arg(timeoutMs);
        stop();
        return false;
    }

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    // Terminate, wait, kill if it does not go. Safe to call twice; the port is kept so a restart
    // with other options listens where the test expects it.
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QString error() const { return m_error; }
    QString logPath() const { return m_logPath; }
    // Everything the program printed so far (all runs since the log file was created).
    QByteArray log() const
    {
        QFile f(m_logPath);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private:
    QString m_logPath;
    QString m_workDir;
    QString m_error;
    quint16 m_port = 0;
    QProcess m_process;
};

} // namespace jwb::testing
