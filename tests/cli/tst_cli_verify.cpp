// SPDX-License-Identifier: Apache-2.0
// jwt-policy verify and signature, run as the built binary: exit codes, stdin, --format json, errors.
#include "CliProcess.h"
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "keys/Key.h"
#include "token/Base64Url.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace jwb;

namespace {

const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();

using testing::RunResult;
using testing::runCli;

} // namespace

class TestCliVerify final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<crypto::SigningKey> m_key;
    QString m_policyPath;
    QString m_keyPath;

    QByteArray token(const QJsonObject& extraClaims = {}, const QString& alg = QStringLiteral("ES256")) const
    {
        QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("https://login.example.com/")},
                           {QStringLiteral("aud"), QStringLiteral("payments-api")},
                           {QStringLiteral("sub"), QStringLiteral("alice")},
                           {QStringLiteral("iat"), kNow - 60},
                           {QStringLiteral("exp"), kNow + 600}};
        for (auto it = extraClaims.begin(); it != extraClaims.end(); ++it)
            claims.insert(it.key(), it.value());
        const QJsonObject header{{QStringLiteral("alg"), alg}, {QStringLiteral("typ"), QStringLiteral("JWT")},
                                 {QStringLiteral("kid"), QStringLiteral("cli-1")}};
        return crypto::mintCompact(QJsonDocument(header).toJson(QJsonDocument::Compact),
                                   QJsonDocument(claims).toJson(QJsonDocument::Compact), &*m_key,
                                   crypto::algorithmFromName(alg));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto key = crypto::SigningKey::generate(crypto::Algorithm::ES256, QStringLiteral("cli-1"));
        QVERIFY(key.ok());
        m_key = std::move(key).value();
        const QByteArray jwk = keys::toPublicJwk(m_key->publicKey());
        m_keyPath = m_dir.filePath(QStringLiteral("key.jwk.json"));
        QVERIFY(testing::writeFile(m_keyPath, jwk));
        QVERIFY(testing::writeFile(m_dir.filePath(QStringLiteral("login.jwks.json")), "{\"keys\":[" + jwk + "]}"));

        m_policyPath = m_dir.filePath(QStringLiteral("policy.yaml"));
        QVERIFY(testing::writeFile(m_policyPath,
                                   "jwt_policy: 1\n"
                                   "name: cli-test\n"
                                   "owner: sec@example.com\n"
                                   "revision: 1\n"
                                   "defaults:\n"
                                   "  algorithms: [ES256]\n"
                                   "  clock_skew_seconds: 30\n"
                                   "  max_lifetime_seconds: 3600\n"
                                   "  required_claims: [exp, iat]\n"
                                   "  allowed_headers: [alg, typ, kid]\n"
                                   "  require_kid: true\n"
                                   "issuers:\n"
                                   "  - issuer: https://login.example.com/\n"
                                   "    trust_domain: workforce\n"
                                   "    audiences: [payments-api]\n"
                                   "    keys:\n"
                                   "      jwks_file: login.jwks.json\n"));
    }

    void version_andHelp_exitZero()
    {
        const RunResult v = runCli({QStringLiteral("--version")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("jwt-policy "));
        const RunResult h = runCli({QStringLiteral("verify"), QStringLiteral("--help")});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains("--policy"));
        QCOMPARE(runCli({QStringLiteral("signature"), QStringLiteral("--version")}).exitCode, 0);
    }

    void accepted_exitZero_textTrace()
    {
        const RunResult r = runCli({QStringLiteral("verify"), QStringLiteral("--policy"), m_policyPath,
                                    QStringLiteral("--at"), QStringLiteral("2026-11-01T10:00:00Z"), QString::fromLatin1(token())});
        QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
        QVERIFY(r.out.startsWith("ACCEPTED"));
        QCOMPARE(r.out.count('\n'), 1 + 17); // verdict line + one line a step
    }

    void rejected_exitOne_jsonNamesStep()
    {
        const RunResult r = runCli({QStringLiteral("verify"), QStringLiteral("--policy"), m_policyPath,
                                    QStringLiteral("--at"), QString::number(kNow + 7200), QStringLiteral("--format"),
                                    QStringLiteral("json"), QStringLiteral("-")},
                                   token() + '\n');
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("verdict")).toString(), QStringLiteral("rejected"));
        QVERIFY(o.value(QStringLiteral("fingerprint")).toString().startsWith(u"sha256:"));
        const QJsonArray steps = o.value(QStringLiteral("steps")).toArray();
        QString firstFail;
        for (const QJsonValue& s : steps) {
            if (s[QStringLiteral("verdict")].toString() == u"fail") {
                firstFail = s[QStringLiteral("id")].toString();
                break;
            }
        }
        QCOMPARE(firstFail, QStringLiteral("expiry"));
        QVERIFY(!r.out.contains(token().mid(token().lastIndexOf('.') + 1)));
    }

    void badPolicy_exitTwo_namesFileAndLine()
    {
        const QString bad = m_dir.filePath(QStringLiteral("bad.yaml"));
        QVERIFY(testing::writeFile(bad, "jwt_policy: 1\nname: x\ndefaults:\n  clock_skew_seconds: 900\n"));
        const RunResult r = runCli({QStringLiteral("verify"), QStringLiteral("--policy"), bad, QString::fromLatin1(token())});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad.yaml:4"), r.err);
        QVERIFY(r.out.isEmpty());
    }

    void usageErrors_exitTwo()
    {
        QCOMPARE(runCli({QStringLiteral("verify"), QString::fromLatin1(token())}).exitCode, 2); // no --policy
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("--policy"), m_policyPath, QStringLiteral("--at"),
                         QStringLiteral("yesterday"), QString::fromLatin1(token())})
                     .exitCode,
                 2);
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("--policy"), m_policyPath, QStringLiteral("--format"),
                         QStringLiteral("xml"), QString::fromLatin1(token())})
                     .exitCode,
                 2);
        QCOMPARE(runCli({QStringLiteral("no-such-verb")}).exitCode, 2);
        QCOMPARE(runCli({}).exitCode, 2);
    }

    void garbageToken_exitOne_structure()
    {
        const RunResult r = runCli({QStringLiteral("verify"), QStringLiteral("--policy"), m_policyPath,
                                    QStringLiteral("--format"), QStringLiteral("json")},
                                   "not a token at all");
        QCOMPARE(r.exitCode, 1);
        const QJsonArray steps = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.at(1)[QStringLiteral("verdict")].toString(), QStringLiteral("fail"));
        QCOMPARE(steps.at(1)[QStringLiteral("id")].toString(), QStringLiteral("structure"));
    }

    void signatureVerb_checksJwsAgainstKeyFile()
    {
        const RunResult ok = runCli({QStringLiteral("signature"), QStringLiteral("--key"), m_keyPath,
                                     QStringLiteral("--format"), QStringLiteral("json"), QString::fromLatin1(token())});
        QVERIFY2(ok.exitCode == 0, QByteArray(ok.out + ok.err).constData());
        QCOMPARE(QJsonDocument::fromJson(ok.out).object().value(QStringLiteral("verdict")).toString(),
                 QStringLiteral("accepted"));
        const RunResult wrongAlg = runCli({QStringLiteral("signature"), QStringLiteral("--key"), m_keyPath,
                                           QStringLiteral("--alg"), QStringLiteral("RS256"), QString::fromLatin1(token())});
        QCOMPARE(wrongAlg.exitCode, 1);
        const RunResult missingKey = runCli({QStringLiteral("signature"), QStringLiteral("--key"),
                                             m_dir.filePath(QStringLiteral("nope.pem")), QString::fromLatin1(token())});
        QCOMPARE(missingKey.exitCode, 2);
        QVERIFY(!missingKey.err.isEmpty());
    }

    // Issue 20: a set of an HMAC secret and a public key is the algorithm-confusion precondition
    // (RFC 8725 §3.1); with no pin it is refused at the key step, whatever the token claims.
    void signatureVerb_mixedKeySetWithoutPin_refusedAtKey()
    {
        auto secret = crypto::SigningKey::fromSecret(QByteArray(32, 's'), QStringLiteral("cli-1"));
        QVERIFY(secret.ok());
        const QByteArray secretJwk =
            "{\"kty\":\"oct\",\"kid\":\"cli-1\",\"k\":\"" + token::encodeBase64Url(QByteArray(32, 's')) + "\"}";
        const QString mixed = m_dir.filePath(QStringLiteral("mixed.jwks.json"));
        QVERIFY(testing::writeFile(mixed, "{\"keys\":[" + keys::toPublicJwk(m_key->publicKey()) + "," + secretJwk + "]}"));
        const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("kid"), QStringLiteral("cli-1")}};
        const QByteArray hs = crypto::mintCompact(QJsonDocument(header).toJson(QJsonDocument::Compact), "{\"sub\":\"x\"}",
                                                  &*secret, crypto::Algorithm::HS256);
        const RunResult refused = runCli({QStringLiteral("signature"), QStringLiteral("--key"), mixed,
                                          QStringLiteral("--format"), QStringLiteral("json"), QString::fromLatin1(hs)});
        QCOMPARE(refused.exitCode, 1);
        bool found = false;
        for (const auto& v : QJsonDocument::fromJson(refused.out).object().value(QStringLiteral("steps")).toArray()) {
            if (v[QStringLiteral("id")].toString() == QStringLiteral("key")) {
                QCOMPARE(v[QStringLiteral("verdict")].toString(), QStringLiteral("fail"));
                QCOMPARE(v[QStringLiteral("code")].toString(), QStringLiteral("ERR_KEY_SET_MIXED"));
                found = true;
            }
        }
        QVERIFY2(found, refused.out.constData());
        // The same set with the algorithm pinned: the pin decides how each key is used.
        const RunResult pinned = runCli({QStringLiteral("signature"), QStringLiteral("--key"), mixed,
                                         QStringLiteral("--alg"), QStringLiteral("HS256"), QString::fromLatin1(hs)});
        QVERIFY2(pinned.exitCode == 0, QByteArray(pinned.out + pinned.err).constData());
        const RunResult es = runCli({QStringLiteral("signature"), QStringLiteral("--key"), mixed,
                                     QStringLiteral("--alg"), QStringLiteral("ES256"), QString::fromLatin1(token())});
        QVERIFY2(es.exitCode == 0, QByteArray(es.out + es.err).constData());
    }

    // Issue 20: a ROCA key (CVE-2017-15361) is refused wherever keys enter: a key file and a policy.
    void rocaKey_isRefusedAsKeyFileAndInAPolicy()
    {
        const QString roca = QStringLiteral(JWB_TEST_DATA "/keys/roca-2048-public.pem");
        const RunResult sig = runCli({QStringLiteral("signature"), QStringLiteral("--key"), roca, QString::fromLatin1(token())});
        QCOMPARE(sig.exitCode, 2);
        QVERIFY2(sig.err.contains("ERR_KEY_ROCA") && sig.err.contains("CVE-2017-15361"), sig.err.constData());

        QVERIFY(QFile::copy(roca, m_dir.filePath(QStringLiteral("roca.pem"))));
        const QString policyPath = m_dir.filePath(QStringLiteral("roca-policy.yaml"));
        QVERIFY(testing::writeFile(policyPath, "jwt_policy: 1\nname: roca\nowner: sec@example.com\nrevision: 1\n"
                                               "defaults:\n  algorithms: [RS256]\nissuers:\n"
                                               "  - issuer: https://login.example.com/\n    audiences: [api]\n"
                                               "    keys:\n      pem_files: [roca.pem]\n"));
        const RunResult lint = runCli({QStringLiteral("lint"), policyPath});
        QCOMPARE(lint.exitCode, 2);
        // The loader wraps key errors in its own code, with the key's message and the file line.
        QVERIFY2(lint.err.contains("ERR_POLICY_KEY") && lint.err.contains("CVE-2017-15361") && lint.err.contains(":11:"),
                 lint.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliVerify)
#include "tst_cli_verify.moc"
