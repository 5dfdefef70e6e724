// SPDX-License-Identifier: Apache-2.0
// Apache httpd with mod_auth_openidc for one test: a complete server configuration around an
// exported (or hand-written) snippet, in its own root directory (configuration, pid file, error log,
// document root), listening on a LiveServer's loopback port. Several instances may share one
// temporary directory as long as each has its own root.
// Tests including this link Qt6::Network (LiveServer).
#pragma once

#include "LiveServer.h"
#include "TestFiles.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>

namespace jwb::testing {

inline const QString kApacheBinary = QStringLiteral("/usr/sbin/apache2");
inline const QString kApacheModules = QStringLiteral("/usr/lib/apache2/modules");

// Empty when apache2 and mod_auth_openidc are installed; otherwise what to install.
inline QString apacheMissing()
{
    if (QFileInfo::exists(kApacheBinary) && QFileInfo::exists(kApacheModules + QStringLiteral("/mod_auth_openidc.so")))
        return {};
    return QStringLiteral("apache2 or mod_auth_openidc is missing: apt-get install apache2 libapache2-mod-auth-openidc "
                          "(installer/deps-debian.sh)");
}

// Root (CI) hands the children to nobody, who must be able to walk into `path` and read it.
inline void openForApacheChildren(const QString& path)
{
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                    | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
}

// Creates `root` with a document root holding index.html ("ok"). The directories above `root` must
// be open to the children already (openForApacheChildren on the test's temporary directory).
// False when it cannot.
inline bool prepareApacheRoot(const QString& root)
{
    if (!QDir().mkpath(root + QStringLiteral("/htdocs")))
        return false;
    openForApacheChildren(root);
    openForApacheChildren(root + QStringLiteral("/htdocs"));
    return writeFile(root + QStringLiteral("/htdocs/index.html"), "ok\n");
}

// The complete server around `include`: loopback only, everything it writes inside `root`.
inline QByteArray apacheHttpdConf(const QString& root, quint16 port, const QString& include)
{
    const QByteArray dir = root.toUtf8();
    QByteArray c;
    c += "ServerRoot " + dir + "\n";
    c += "ServerName 127.0.0.1\n";
    c += "Listen 127.0.0.1:" + QByteArray::number(port) + "\n";
    c += "PidFile " + dir + "/httpd.pid\n";
    c += "DefaultRuntimeDir " + dir + "\n";
    c += "ErrorLog " + dir + "/error.log\n";
    c += "LogLevel warn auth_openidc:info\n";
    for (const char* m : {"mpm_prefork", "authn_core", "authz_core", "mime", "dir", "auth_openidc"})
        c += "LoadModule " + QByteArray(m) + "_module " + kApacheModules.toUtf8() + "/mod_" + m + ".so\n";
    c += "StartServers 2\nMinSpareServers 1\nMaxSpareServers 4\n";
    // Root (CI) must hand the children to an unprivileged user; anyone else runs them as itself.
    if (QFileInfo(QStringLiteral("/proc/self")).ownerId() == 0)
        c += "User nobody\nGroup nogroup\n";
    c += "TypesConfig /dev/null\n";
    c += "DocumentRoot " + dir + "/htdocs\n";
    c += "DirectoryIndex index.html\n";
    c += "Include " + include.toUtf8() + "\n";
    return c;
}

inline QString apacheErrorLog(const QString& root)
{
    return QString::fromUtf8(readFile(root + QStringLiteral("/error.log")));
}

// Runs the built jwt-policy's staging Apache export of `policyPath` into `confDir`/jwt.conf with its
// key files beside it (JWT_POLICY_BIN, as the live tests define it). False with the CLI's stderr.
inline bool exportApache(const QString& policyPath, const QString& confDir, QString* why)
{
    QProcess cli;
    cli.start(QStringLiteral(JWT_POLICY_BIN),
              {QStringLiteral("export"), QStringLiteral("--policy"), policyPath, QStringLiteral("--to"),
               QStringLiteral("apache"), QStringLiteral("--include-test-keys"), QStringLiteral("-o"),
               confDir + QStringLiteral("/jwt.conf"), QStringLiteral("--apache-key-dir"), confDir});
    if (!cli.waitForFinished(30000) || cli.exitStatus() != QProcess::NormalExit || cli.exitCode() != 0) {
        *why = QStringLiteral("jwt-policy export --to apache failed: ") + QString::fromUtf8(cli.readAllStandardError());
        return false;
    }
    return true;
}

// Starts Apache in `root` (prepareApacheRoot() first) on server.port() with `include`. False when
// it does not listen; `why` then holds the start error, its output and its error log.
inline bool startApache(LiveServer& server, const QString& root, const QString& include, QString* why)
{
    const QString conf = root + QStringLiteral("/httpd.conf");
    if (!writeFile(conf, apacheHttpdConf(root, server.port(), include))) {
        *why = QStringLiteral("cannot write %1").arg(conf);
        return false;
    }
    // Its own session: on SIGTERM a foreground Apache signals its whole process group, which would
    // otherwise take the test with it.
    if (!server.start(QStringLiteral("/usr/bin/setsid"), {kApacheBinary, QStringLiteral("-DFOREGROUND"), QStringLiteral("-f"), conf})) {
        *why = server.error() + u'\n' + QString::fromUtf8(server.log()) + apacheErrorLog(root);
        return false;
    }
    return true;
}

} // namespace jwb::testing
