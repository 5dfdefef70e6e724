// SPDX-License-Identifier: Apache-2.0
// Drift: a deployed configuration that matches the policy has no findings; one loosened in one way
// has exactly one finding of the expected kind (Envoy, Istio, Kong). Configurations are
// tests/data/drift/*-match.yaml with one text replacement per row.
#include "export/Drift.h"
#include "export/Export.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QFile>
#include <QTest>

using namespace jwb;
using exporting::DriftSource;

namespace {

const QString kRfc7638N = QStringLiteral(
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64"
    "tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbO"
    "pbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw");
const QString kLoginN = QStringLiteral("yYY6KJitTgq2FGQqGCKZGsD1BvbaTludggUUmWLMFWMocQMx7jkhT_vMSN3M");

QByteArray readData(const QString& name)
{
    QFile f(QStringLiteral(JWB_TEST_DATA "/drift/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

policy::Policy edgePolicy()
{
    auto p = policy::loadPolicyFile(QStringLiteral(JWB_TEST_DATA "/export/edge.yaml"));
    if (!p)
        qFatal("cannot load edge.yaml: %s", qPrintable(p.error().toString()));
    return *p;
}

qint64 at()
{
    return util::parseInstant(QStringLiteral("2026-12-01T00:00:00Z")).value();
}

QString describe(const exporting::DriftReport& r)
{
    QString s;
    for (const auto& f : r.findings)
        s += QStringLiteral("\n  %1 %2: %3").arg(f.kind, f.path, f.message);
    return s;
}

} // namespace

class TestDrift final : public QObject {
    Q_OBJECT

private slots:
    void matchingConfig_hasNoFindings_data()
    {
        QTest::addColumn<int>("source");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("providers");
        QTest::newRow("envoy bootstrap") << int(DriftSource::Envoy) << QStringLiteral("envoy-match.yaml") << 2;
        QTest::newRow("istio multi-doc") << int(DriftSource::Istio) << QStringLiteral("istio-match.yaml") << 2;
        QTest::newRow("kong declarative") << int(DriftSource::Kong) << QStringLiteral("kong-match.yaml") << 1;
    }

    void matchingConfig_hasNoFindings()
    {
        QFETCH(int, source);
        QFETCH(QString, file);
        QFETCH(int, providers);
        const auto r = exporting::detectDrift(edgePolicy(), DriftSource(source), readData(file), file, at());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QVERIFY2(r->findings.isEmpty(), qPrintable(describe(*r)));
        QVERIFY(!r->hasLoosening());
        QCOMPARE(r->providers, providers);
    }

    void loosenedConfig_hasExactlyOneFinding_data()
    {
        QTest::addColumn<int>("source");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("kind");
        const int envoy = int(DriftSource::Envoy), istio = int(DriftSource::Istio), kong = int(DriftSource::Kong);
        const QString e = QStringLiteral("envoy-match.yaml"), i = QStringLiteral("istio-match.yaml"),
                      k = QStringLiteral("kong-match.yaml");
        auto row = [](const char* name) -> QTestData& { return QTest::newRow(name); };
        row("envoy issuer the policy lacks") << envoy << e << "issuer: https://auth.remote.example.org/"
                                             << "issuer: https://auth.other.example.org/" << "unknown_issuer";
        row("envoy provider without issuer") << envoy << e << "issuer: https://auth.remote.example.org/"
                                             << "# no issuer" << "unknown_issuer";
        row("envoy audience outside the row") << envoy << e << "[payments-api, ledger-api]"
                                              << "[payments-api, ledger-api, admin-api]" << "audience";
        row("envoy no audiences") << envoy << e << "audiences: [remote-api]" << "# any audience" << "audience";
        row("envoy wider skew") << envoy << e << "clock_skew_seconds: 30" << "clock_skew_seconds: 90" << "clock_skew";
        row("envoy default skew 60 s") << envoy << e << "clock_skew_seconds: 30" << "# default" << "clock_skew";
        row("envoy no require_expiration") << envoy << e << "require_expiration: true"
                                           << "require_expiration: false" << "require_expiration";
        row("envoy longer max_lifetime") << envoy << e << "max_lifetime: 3600s" << "max_lifetime: 86400s"
                                         << "max_lifetime";
        row("envoy no max_lifetime") << envoy << e << "max_lifetime: { seconds: 3600 }" << "# unlimited"
                                     << "max_lifetime";
        row("envoy key not pinned") << envoy << e << kLoginN << kRfc7638N.left(60) << "unpinned_key";
        row("envoy JWKS from another host") << envoy << e << "uri: https://keys.remote.example.org/jwks.json"
                                            << "uri: https://jwks.attacker.example/jwks.json" << "jwks_host";
        row("envoy token optional") << envoy << e << "- provider_name: remote"
                                    << "- provider_name: remote\n                                - allow_missing: {}"
                                    << "token_not_required";
        row("istio issuer the policy lacks") << istio << i << "- issuer: https://auth.remote.example.org/"
                                             << "- issuer: https://auth.other.example.org/" << "unknown_issuer";
        row("istio audience outside the row") << istio << i << "- ledger-api" << "- ledger-api\n        - admin-api"
                                              << "audience";
        row("istio key not pinned") << istio << i << kLoginN << kRfc7638N.left(60) << "unpinned_key";
        row("istio JWKS from another host") << istio << i << "jwksUri: https://keys.remote.example.org/jwks.json"
                                            << "jwksUri: https://jwks.attacker.example/jwks.json" << "jwks_host";
        row("istio rule discovering keys from the issuer host") << istio << i
                                                                << "jwksUri: https://keys.remote.example.org/jwks.json"
                                                                << "# discovery" << "jwks_host";
        row("istio token not required") << istio << i << "kind: AuthorizationPolicy" << "kind: PeerAuthentication"
                                        << "token_not_required";
        row("kong credential for another issuer") << kong << k << "key: https://login.example.com/"
                                                  << "key: https://auth.other.example.org/" << "unknown_issuer";
        row("kong exp not verified") << kong << k << "claims_to_verify: [exp, nbf]" << "claims_to_verify: [nbf]"
                                     << "require_expiration";
        row("kong longer maximum_expiration") << kong << k << "maximum_expiration: 3600"
                                              << "maximum_expiration: 86400" << "max_lifetime";
        row("kong no maximum_expiration") << kong << k << "maximum_expiration: 3600" << "maximum_expiration: 0"
                                          << "max_lifetime";
        row("kong algorithm outside the pin") << kong << k << "algorithm: RS256" << "algorithm: RS512" << "algorithm";
        row("kong top-level credential for another issuer")
            << kong << k << "consumers:"
            << "jwt_secrets:\n  - consumer: jwb-workforce\n    key: https://auth.other.example.org/\n"
               "    algorithm: HS256\n    secret: not-a-real-secret\nconsumers:"
            << "unknown_issuer";
        row("kong key not pinned") << kong << QStringLiteral("kong-unpinned-key.yaml") << "" << "" << "unpinned_key";
    }

    void loosenedConfig_hasExactlyOneFinding()
    {
        QFETCH(int, source);
        QFETCH(QString, file);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, kind);
        QString text = QString::fromUtf8(readData(file));
        if (!from.isEmpty()) {
            const qsizetype pos = text.indexOf(from);
            QVERIFY2(pos >= 0, qPrintable(from));
            text.replace(pos, from.size(), to); // first occurrence only
        }
        const auto r = exporting::detectDrift(edgePolicy(), DriftSource(source), text.toUtf8(), file, at());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QVERIFY2(r->findings.size() == 1, qPrintable(describe(*r)));
        QCOMPARE(r->findings.first().kind, kind);
        QCOMPARE(r->findings.first().classification, exporting::DriftClass::Loosening);
        QVERIFY(!r->findings.first().path.isEmpty());
        QVERIFY(r->hasLoosening());
    }

    void typedConfigAlone_isFound()
    {
        // Just the filter's typed_config, as pasted from a listener.
        QString text = QString::fromUtf8(readData(QStringLiteral("envoy-match.yaml")));
        const qsizetype start =
            text.lastIndexOf(u'\n', text.indexOf(QStringLiteral("\"@type\": type.googleapis.com/envoy.extensions.filters.http.jwt_authn"))) + 1;
        const qsizetype end = text.indexOf(QStringLiteral("- name: envoy.filters.http.router"));
        QVERIFY(start > 0 && end > start);
        QStringList lines = text.mid(start, end - start).split(u'\n');
        for (auto& l : lines)
            l = l.mid(22); // drop the listener's indentation
        const auto r = exporting::detectDrift(edgePolicy(), DriftSource::Envoy, lines.join(u'\n').toUtf8(),
                                              QStringLiteral("typed_config"), at());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->providers, 2);
        QVERIFY(r->findings.isEmpty());
    }

    void exportedConfigs_haveNoDrift_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("source");
        QTest::newRow("envoy") << int(exporting::Target::Envoy) << int(DriftSource::Envoy);
        QTest::newRow("istio") << int(exporting::Target::Istio) << int(DriftSource::Istio);
        QTest::newRow("kong") << int(exporting::Target::Kong) << int(DriftSource::Kong);
    }

    void exportedConfigs_haveNoDrift()
    {
        QFETCH(int, target);
        QFETCH(int, source);
        const auto policy = edgePolicy();
        exporting::ExportProfile profile;
        profile.atUnixSeconds = at();
        const auto exported = exporting::exportPolicy(policy, exporting::Target(target), profile);
        QVERIFY(exported.ok());
        const auto r = exporting::detectDrift(policy, DriftSource(source), exported->text, QStringLiteral("export"), at());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QVERIFY2(!r->hasLoosening(), qPrintable(describe(*r)));
    }

    void badYaml_isAnErrorWithLine()
    {
        const auto r = exporting::detectDrift(edgePolicy(), DriftSource::Envoy, "providers: [unclosed\n  x: {",
                                              QStringLiteral("bad.yaml"), at());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("ERR_DRIFT_YAML"));
        QVERIFY(r.error().location.startsWith(QStringLiteral("bad.yaml:")));
    }

    void configWithoutJwtSettings_isAnError()
    {
        const auto r = exporting::detectDrift(edgePolicy(), DriftSource::Kong, "_format_version: \"3.0\"\nservices: []\n",
                                              QStringLiteral("empty.yaml"), at());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("ERR_DRIFT_NOTHING_FOUND"));
    }
};

QTEST_GUILESS_MAIN(TestDrift)
#include "tst_drift.moc"
