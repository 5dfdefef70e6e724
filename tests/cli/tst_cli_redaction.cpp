// SPDX-License-Identifier: Apache-2.0
// No secret, signature or full token in what the programs print: the built jwt-policy runs verify,
// signature, selftest and check over attack tokens minted with a known HMAC secret (pinned in the
// policy and in a key file), and stdout + stderr are searched for the secret (raw and base64url),
// every token's signature segment and every full token. With the GUI built, jwt-workbench is run
// offscreen on the same policy with every logging category at debug level, and searched the same way.
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "token/Base64Url.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace jwb;

namespace {

const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();
// Distinctive, so a hit can only be a leak: 48 bytes, above the HS256 floor.
const QByteArray kSecret = QByteArrayLiteral("redaction-probe-secret-7Qx9-ZZtop-0123456789-END");
const QString kIssuer = QStringLiteral("https://login.example.com/");

QByteArray json(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

struct Run {
    int exitCode = -1;
    QByteArray output; // stdout + stderr
};

Run runProgram(const QString& program, const QStringList& args, const QByteArray& in = {},
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProgram(program);
    p.setArguments(args);
    p.start();
    if (!p.waitForStarted())
        return {};
    p.write(in);
    p.closeWriteChannel();
    if (!p.waitForFinished(300000))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            p.readAllStandardOutput() + p.readAllStandardError()};
}

} // namespace

class TestCliRedaction final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_policy, m_keyFile, m_corpus;
    QList<QByteArray> m_tokens;
    QList<QByteArray> m_forbidden; // what must never appear in any output

    QByteArray mint(const QJsonObject& header, const QJsonObject& claims, QByteArrayView secret = kSecret) const
    {
        auto key = crypto::SigningKey::fromSecret(secret, QStringLiteral("hs-1"));
        if (!key)
            qFatal("HMAC key: %s", qPrintable(key.error().toString()));
        return crypto::mintCompact(json(header), json(claims), &key.value(), crypto::Algorithm::HS256);
    }

    void expectClean(const QByteArray& output, const QString& what)
    {
        QVERIFY2(!output.isEmpty(), qPrintable(what + QStringLiteral(": printed nothing")));
        for (const QByteArray& needle : std::as_const(m_forbidden)) {
            QVERIFY2(!output.contains(needle),
                     qPrintable(what + QStringLiteral(" printed a secret, signature or token (%1 bytes)").arg(needle.size())));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QByteArray k = token::encodeBase64Url(kSecret);
        const QByteArray jwk = "{\"kty\":\"oct\",\"kid\":\"hs-1\",\"alg\":\"HS256\",\"k\":\"" + k + "\"}";
        m_keyFile = m_dir.filePath(QStringLiteral("secret.jwk.json"));
        m_policy = m_dir.filePath(QStringLiteral("policy.yaml"));
        m_corpus = m_dir.filePath(QStringLiteral("corpus.log"));
        QVERIFY(testing::writeFile(m_keyFile, jwk));
        // The policy pins the secret through a JWKS file; `signature --key` gets the bare JWK.
        QVERIFY(testing::writeFile(m_dir.filePath(QStringLiteral("secret.jwks.json")), "{\"keys\":[" + jwk + "]}"));
        QVERIFY(testing::writeFile(m_policy,
                                   "jwt_policy: 1\nname: redaction\nowner: sec@example.com\n"
                                   "defaults:\n  algorithms: [HS256]\n  required_claims: [exp]\n  require_kid: true\n"
                                   "issuers:\n  - issuer: https://login.example.com/\n    audiences: [payments-api]\n"
                                   "    keys:\n      jwks_file: secret.jwks.json\n"));

        const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("kid"), QStringLiteral("hs-1")}};
        const QJsonObject claims{{QStringLiteral("iss"), kIssuer}, {QStringLiteral("aud"), QStringLiteral("payments-api")},
                                 {QStringLiteral("sub"), QStringLiteral("alice")}, {QStringLiteral("iat"), kNow - 60},
                                 {QStringLiteral("exp"), kNow + 600}};
        QJsonObject expired = claims;
        expired[QStringLiteral("exp")] = kNow - 3600;
        QJsonObject foreignAud = claims;
        foreignAud[QStringLiteral("aud")] = QStringLiteral("other-api");
        QJsonObject withJku = header;
        withJku[QStringLiteral("jku")] = QStringLiteral("https://evil.example/jwks.json");
        QJsonObject kidInjection = header;
        kidInjection[QStringLiteral("kid")] = QStringLiteral("../../../../dev/null");
        QJsonObject none{{QStringLiteral("alg"), QStringLiteral("none")}};

        const QByteArray valid = mint(header, claims);
        QByteArray tampered = valid;
        tampered[valid.indexOf('.') + 5] = tampered.at(valid.indexOf('.') + 5) == 'A' ? 'B' : 'A';
        m_tokens = {
            valid,                                           // accepted
            mint(header, expired),                           // expired
            mint(header, foreignAud),                        // foreign audience
            mint(withJku, claims),                           // key-selecting header
            mint(kidInjection, claims),                      // kid path traversal
            mint(header, claims, QByteArray(48, 'w')),       // wrong secret
            tampered,                                        // payload changed after signing
            token::encodeBase64Url(json(none)) + '.' + valid.split('.').at(1) + '.' + valid.split('.').at(2), // alg none, real MAC
        };
        m_forbidden = {kSecret, k};
        for (const QByteArray& t : std::as_const(m_tokens)) {
            m_forbidden.append(t);
            const QByteArray sig = t.mid(t.lastIndexOf('.') + 1);
            if (!sig.isEmpty())
                m_forbidden.append(sig);
        }
        QByteArray corpus;
        for (const QByteArray& t : std::as_const(m_tokens))
            corpus += "2026-11-01T10:00:00Z GET /pay Authorization: Bearer " + t + "\n";
        QVERIFY(testing::writeFile(m_corpus, corpus));
    }

    void verify_neverPrintsSecretsOrTokens_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("text") << QStringLiteral("text");
        QTest::newRow("json") << QStringLiteral("json");
    }
    void verify_neverPrintsSecretsOrTokens()
    {
        QFETCH(QString, format);
        const QString at = QString::number(kNow);
        int accepted = 0;
        for (const QByteArray& t : std::as_const(m_tokens)) {
            // Token as an argument and on stdin: both paths.
            const Run arg = runProgram(QStringLiteral(JWT_POLICY_BIN),
                                       {QStringLiteral("verify"), QStringLiteral("--policy"), m_policy, QStringLiteral("--at"), at,
                                        QStringLiteral("--format"), format, QString::fromLatin1(t)});
            QVERIFY2(arg.exitCode == 0 || arg.exitCode == 1, arg.output.constData());
            accepted += arg.exitCode == 0;
            expectClean(arg.output, QStringLiteral("verify (argument)"));
            const Run in = runProgram(QStringLiteral(JWT_POLICY_BIN),
                                      {QStringLiteral("verify"), QStringLiteral("--policy"), m_policy, QStringLiteral("--at"), at,
                                       QStringLiteral("--format"), format, QStringLiteral("-")}, t + '\n');
            QCOMPARE(in.exitCode, arg.exitCode);
            expectClean(in.output, QStringLiteral("verify (stdin)"));
        }
        QCOMPARE(accepted, 1); // the run really verified: exactly the valid token passed
    }

    void signature_neverPrintsSecretsOrTokens()
    {
        int accepted = 0;
        for (const QByteArray& t : std::as_const(m_tokens)) {
            for (const QString& format : {QStringLiteral("text"), QStringLiteral("json")}) {
                const Run r = runProgram(QStringLiteral(JWT_POLICY_BIN),
                                         {QStringLiteral("signature"), QStringLiteral("--key"), m_keyFile,
                                          QStringLiteral("--format"), format, QString::fromLatin1(t)});
                QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.output.constData());
                accepted += r.exitCode == 0;
                expectClean(r.output, QStringLiteral("signature"));
            }
        }
        // The JWS layer accepts every token whose MAC is right and header is sane: at least the valid one.
        QVERIFY(accepted >= 2);
    }

    void selftest_neverPrintsSecrets()
    {
        for (const QString& format : {QStringLiteral("text"), QStringLiteral("json")}) {
            const Run r = runProgram(QStringLiteral(JWT_POLICY_BIN),
                                     {QStringLiteral("selftest"), QStringLiteral("--policy"), m_policy, QStringLiteral("--at"),
                                      QString::number(kNow), QStringLiteral("--format"), format});
            QVERIFY2(r.exitCode >= 0 && r.exitCode <= 1, r.output.constData());
            expectClean(r.output, QStringLiteral("selftest"));
        }
    }

    void check_neverPrintsSecretsOrTokens()
    {
        for (const QString& format : {QStringLiteral("text"), QStringLiteral("json")}) {
            const Run r = runProgram(QStringLiteral(JWT_POLICY_BIN),
                                     {QStringLiteral("check"), QStringLiteral("--policy"), m_policy, QStringLiteral("--at"),
                                      QString::number(kNow), QStringLiteral("--format"), format, m_corpus});
            QVERIFY2(r.exitCode >= 0 && r.exitCode <= 2, r.output.constData());
            expectClean(r.output, QStringLiteral("check"));
        }
    }

    void errors_neverEchoTheInput()
    {
        // A bad policy and a bad key file whose bytes hold the secret: the errors name the file and
        // the field, never the content.
        const QString badKey = m_dir.filePath(QStringLiteral("bad.jwk.json"));
        QVERIFY(testing::writeFile(badKey, "{\"kty\":\"oct\",\"k\":\"" + token::encodeBase64Url(kSecret)
                                               + "\",\"d\":\"x\", \"bogus\": "));
        const Run r = runProgram(QStringLiteral(JWT_POLICY_BIN),
                                 {QStringLiteral("signature"), QStringLiteral("--key"), badKey, QString::fromLatin1(m_tokens.first())});
        QCOMPARE(r.exitCode, 2);
        expectClean(r.output, QStringLiteral("signature with a broken key file"));
    }

    void gui_logNeverPrintsSecrets()
    {
#ifdef JWT_WORKBENCH_BIN
        // The GUI takes no token on its command line; it opens the policy (whose key file holds the
        // secret), renders every main view (the token lab mints and verifies its own tokens) and
        // exits. Every logging category is switched to debug so nothing is filtered before the check.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
        QTemporaryDir home;
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        const QString shots = m_dir.filePath(QStringLiteral("shots"));
        const Run r = runProgram(QStringLiteral(JWT_WORKBENCH_BIN), {QStringLiteral("--screenshot"), shots, m_policy}, {}, env);
        QCOMPARE(r.exitCode, 0);
        expectClean(r.output, QStringLiteral("jwt-workbench"));
#else
        QSKIP("built without the GUI (JWB_BUILD_UI=OFF): the GUI log is checked in the normal build");
#endif
    }
};

QTEST_GUILESS_MAIN(TestCliRedaction)
#include "tst_cli_redaction.moc"
