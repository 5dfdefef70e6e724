// SPDX-License-Identifier: Apache-2.0
// A local HTTPS server on 127.0.0.1 with a CA and server certificate made by the openssl CLI at test
// time, for the tests that drive keys::KeyFetcher over a real connection. Nothing leaves loopback.
// Tests including this link Qt6::Network (see tests/keyfetcher.cmake).
#pragma once

#include "TestFiles.h"
#include "TestKeys.h"
#include "keys/KeyFetcher.h"
#include "policy/PolicyIO.h"

#include <QByteArray>
#include <QDebug>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace jwb::testing {

// One canned answer per path.
struct Route {
    int status = 200;
    QByteArray body;
    QByteArray location; // Location header for redirects
    bool announceLength = true;
    bool hang = false; // accept the request, never answer
};

// A minimal HTTP/1.1 server over TLS: reads one request head, answers, closes.
class LoopbackHttpsServer final : public QObject {
public:
    explicit LoopbackHttpsServer(const QSslConfiguration& tls) {
        m_server.setSslConfiguration(tls);
        m_server.setHandshakeTimeout(5000);
        connect(&m_server, &QSslServer::startedEncryptionHandshake, this,
                [this](QSslSocket*) { ++m_connections; });
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (m_server.hasPendingConnections())
                serve(qobject_cast<QSslSocket*>(m_server.nextPendingConnection()));
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QString base() const { return QStringLiteral("https://127.0.0.1:%1/").arg(port()); }
    void route(const QByteArray& path, const Route& r) { m_routes.insert(path, r); }
    // Serves OpenID metadata naming this server as the issuer and `jwksPath` ("/jwks") as its jwks_uri.
    void serveMetadata(const QByteArray& jwksPath) {
        QJsonObject metadata;
        metadata.insert(QStringLiteral("issuer"), base());
        metadata.insert(QStringLiteral("jwks_uri"), QString(base() + QString::fromLatin1(jwksPath.mid(1))));
        route("/.well-known/openid-configuration",
              Route{200, QJsonDocument(metadata).toJson(QJsonDocument::Compact), {}, true, false});
    }
    int connections() const { return m_connections; }
    const QList<QByteArray>& requests() const { return m_requests; }

private:
    void serve(QSslSocket* socket) {
        if (!socket)
            return;
        socket->setParent(this);
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QSslSocket::readyRead, this, [this, socket] {
            QByteArray& head = m_heads[socket];
            head += socket->readAll();
            if (!head.contains("\r\n\r\n") || head.isNull())
                return;
            const QByteArray requestLine = head.left(head.indexOf("\r\n"));
            head = QByteArray(); // answered: ignore anything else on this connection
            const QList<QByteArray> parts = requestLine.split(' ');
            const QByteArray path = parts.size() >= 2 ? parts.at(1) : QByteArray();
            m_requests.append(path);
            answer(socket, m_routes.value(path, Route{404, "not found", {}, true, false}));
        });
    }

    static void answer(QSslSocket* socket, const Route& r) {
        if (r.hang)
            return;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) +
                         " X\r\nConnection: close\r\n"
                         "Content-Type: application/json\r\n";
        if (!r.location.isEmpty())
            out += "Location: " + r.location + "\r\n";
        if (r.announceLength)
            out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
        out += "\r\n";
        out += r.body;
        socket->write(out);
        socket->disconnectFromHost(); // after the write buffer drains
    }

    QSslServer m_server;
    QHash<QByteArray, Route> m_routes;
    QHash<QSslSocket*, QByteArray> m_heads;
    QList<QByteArray> m_requests;
    int m_connections = 0;
};

// Runs `openssl ARGS` in `dir`; false (with its output as a warning) unless it exits 0.
inline bool runOpenssl(const QString& dir, const QStringList& args) {
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        return false;
    }
    if (p.exitCode() != 0)
        qWarning().noquote() << QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// The server's TLS configuration and a client configuration that trusts only the test CA.
struct LoopbackTls {
    QSslConfiguration server;
    QSslConfiguration client;
};

// The public test keys the fetch tests publish and pin.
struct FetchTestKeys {
    keys::Key rsa = keyFromFile("rsa2048-public.pem", QStringLiteral("rsa-1"));
    keys::Key ec = keyFromFile("ec-p256-public.pem", QStringLiteral("ec-1"));
    keys::Key ed = keyFromFile("ed25519-public.pem", QStringLiteral("ed-1"));
};

// A server with `tls` listening on a free loopback port; null when it cannot listen.
inline std::unique_ptr<LoopbackHttpsServer> startLoopbackServer(const QSslConfiguration& tls) {
    auto server = std::make_unique<LoopbackHttpsServer>(tls);
    return server->listen() ? std::move(server) : nullptr;
}

// Makes a P-256 test CA (dir/ca.pem, valid two days) and a server certificate it signed for
// 127.0.0.1 and localhost. Empty when openssl is missing or refuses: every fetch test would then
// fail for the wrong reason, so the caller stops.
inline std::optional<LoopbackTls> makeLoopbackTls(const QString& dir) {
    if (!writeExactly(dir + QStringLiteral("/server.ext"),
                      "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                      "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"))
        return std::nullopt;
    const QString ec = QStringLiteral("ec");
    const bool made =
        runOpenssl(dir, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), ec,
                         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                         QStringLiteral("-nodes"), QStringLiteral("-keyout"), QStringLiteral("ca.key"),
                         QStringLiteral("-out"), QStringLiteral("ca.pem"), QStringLiteral("-days"),
                         QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=jwb test CA"),
                         QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                         QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign")}) &&
        runOpenssl(dir, {QStringLiteral("req"), QStringLiteral("-newkey"), ec, QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                         QStringLiteral("-keyout"), QStringLiteral("server.key"), QStringLiteral("-out"),
                         QStringLiteral("server.csr"), QStringLiteral("-subj"),
                         QStringLiteral("/CN=127.0.0.1")}) &&
        runOpenssl(dir, {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                         QStringLiteral("server.csr"), QStringLiteral("-CA"), QStringLiteral("ca.pem"),
                         QStringLiteral("-CAkey"), QStringLiteral("ca.key"), QStringLiteral("-set_serial"),
                         QStringLiteral("2"), QStringLiteral("-days"), QStringLiteral("2"),
                         QStringLiteral("-extfile"), QStringLiteral("server.ext"), QStringLiteral("-out"),
                         QStringLiteral("server.pem")});
    if (!made)
        return std::nullopt;
    const QList<QSslCertificate> ca = QSslCertificate::fromData(readFile(dir + QStringLiteral("/ca.pem")));
    const QList<QSslCertificate> cert =
        QSslCertificate::fromData(readFile(dir + QStringLiteral("/server.pem")));
    const QSslKey key(readFile(dir + QStringLiteral("/server.key")), QSsl::Ec);
    if (ca.size() != 1 || cert.size() != 1 || key.isNull())
        return std::nullopt;

    LoopbackTls tls;
    tls.server = QSslConfiguration::defaultConfiguration();
    tls.server.setLocalCertificate(cert.first());
    tls.server.setPrivateKey(key);
    tls.server.setPeerVerifyMode(QSslSocket::VerifyNone);
    tls.client = QSslConfiguration::defaultConfiguration();
    tls.client.setCaCertificates(ca);
    return tls;
}

// `list` as a served JWKS document.
inline QByteArray jwksBytes(const QList<keys::Key>& list) {
    return QJsonDocument(keys::jwksObjectFor(list)).toJson(QJsonDocument::Compact);
}

// A policy whose one issuer `iss` (audience "api") pins `pinned` inline, optionally naming a
// jwks_uri. A policy the parser refuses stops the run.
inline policy::Policy policyPinning(const QString& iss, const QList<keys::Key>& pinned,
                                    const QString& baseDir, const QString& jwksUri = {}) {
    QByteArray yaml = "jwt_policy: 1\nissuers:\n  - issuer: \"" + iss.toUtf8() +
                      "\"\n    audiences: [api]\n"
                      "    keys:\n      jwks: " +
                      jwksBytes(pinned) + "\n";
    if (!jwksUri.isEmpty())
        yaml += "      jwks_uri: \"" + jwksUri.toUtf8() + "\"\n";
    auto parsed = policy::parsePolicy(yaml, policy::Format::Yaml, QStringLiteral("test.yaml"), baseDir);
    if (!parsed)
        qFatal("test policy refused: %s", qPrintable(parsed.error().toString()));
    return parsed.value();
}

} // namespace jwb::testing
