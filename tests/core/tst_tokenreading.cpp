// SPDX-License-Identifier: Apache-2.0
// What the verifier reads of a token for its readers (verify/TokenReading.h): the decoded header and
// claims, the chosen trust entry and its rules, the instants, all from the verifier's own decode.
#include "PolicyFixtures.h"
#include "verify/PolicyVerifier.h"
#include "verify/TokenReading.h"

#include <QTest>

#include <algorithm>

using namespace jwb;

namespace {

constexpr qint64 kNow = 1793527200; // 2026-11-01T10:00:00Z
const QString kPartner = QStringLiteral("https://auth.partner.example.net/");

QByteArray segment(QByteArrayView json)
{
    return json.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// An unsigned token: the reading does not depend on the signature.
QByteArray token(QByteArrayView header, QByteArrayView payload)
{
    return segment(header) + '.' + segment(payload) + QByteArrayLiteral(".c2ln");
}

QByteArray claims(const QByteArray& extra)
{
    return QByteArrayLiteral("{\"iss\":\"https://login.example.com/\",\"sub\":\"alice\",") + extra + '}';
}

constexpr QByteArrayView kHeader = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"login-1\"}";

// The workforce issuer on strict defaults (30 s skew, 1 h lifetime), and a partner whose overrides
// widen the skew and shorten the lifetime.
policy::Policy policyWithOverrides()
{
    policy::Policy p = testing::cleanLoginPolicy(QStringLiteral("reading"));
    policy::Issuer partner = testing::partnerIssuer(QStringLiteral("partners"));
    partner.overrides.clockSkewSeconds = 120;
    partner.overrides.maxLifetimeSeconds = 600;
    p.issuers.append(partner);
    return p;
}

verify::Trace readWith(const verify::PolicyVerifier& verifier, const QByteArray& t)
{
    verify::VerifyOptions options;
    options.atUnixSeconds = kNow;
    options.includeReading = true;
    return verifier.verify(t, options);
}

const verify::ClaimReading* claim(const verify::TokenReading& reading, const QString& name)
{
    const auto it = std::find_if(reading.claims.cbegin(), reading.claims.cend(),
                                 [&name](const verify::ClaimReading& c) { return c.name == name; });
    return it != reading.claims.cend() ? &*it : nullptr;
}

} // namespace

class TstTokenReading : public QObject {
    Q_OBJECT

private slots:
    void readingOff_byDefault_traceCarriesNone()
    {
        const verify::PolicyVerifier verifier(policyWithOverrides());
        verify::VerifyOptions options;
        options.atUnixSeconds = kNow;
        const QByteArray t = token(kHeader, claims("\"exp\":1793530800"));
        QVERIFY(!verifier.verify(t, options).reading);
        const verify::Trace withReading = readWith(verifier, t);
        QVERIFY(withReading.reading);
        // Asking for the reading changes no step.
        const verify::Trace without = verifier.verify(t, options);
        QCOMPARE(withReading.toJson(), without.toJson());
    }

    void headerAndClaims_inDocumentOrder()
    {
        const verify::PolicyVerifier verifier(policyWithOverrides());
        const verify::Trace trace =
            readWith(verifier, token("{\"typ\":\"at+jwt\",\"kid\":\"login-1\",\"alg\":\"RS256\"}",
                                     "{\"zed\":[1,{\"b\":2,\"a\":3}],\"sub\":\"alice\",\"iss\":\"https://login.example.com/\",\"exp\":1793530800}"));
        const verify::TokenReading& r = *trace.reading;
        QVERIFY(r.decoded);
        QCOMPARE(r.headerText, QStringLiteral("{\n  \"typ\": \"at+jwt\",\n  \"kid\": \"login-1\",\n  \"alg\": \"RS256\"\n}"));
        QCOMPARE(r.payloadText, QStringLiteral("{\n  \"zed\": [\n    1,\n    {\n      \"b\": 2,\n      \"a\": 3\n    }\n  ],\n"
                                               "  \"sub\": \"alice\",\n  \"iss\": \"https://login.example.com/\",\n"
                                               "  \"exp\": 1793530800\n}"));
        QStringList names;
        for (const verify::ClaimReading& c : r.claims)
            names.append(c.name);
        QCOMPARE(names, (QStringList{QStringLiteral("zed"), QStringLiteral("sub"), QStringLiteral("iss"), QStringLiteral("exp")}));
        QVERIFY(!r.claims.at(0).registered);
        QCOMPARE(r.claims.at(0).value, QStringLiteral("[1,{\"b\":2,\"a\":3}]"));
        QVERIFY(r.claims.at(1).registered);
        QVERIFY(claim(r, QStringLiteral("iss"))->meaning.contains(QStringLiteral("'workforce'")));
        QCOMPARE(r.segmentLengths[2], qsizetype(4));
    }

    void controlCharacterInClaim_scrubbedAsTheTraceScrubsIt()
    {
        const verify::PolicyVerifier verifier(policyWithOverrides());
        // iss with a BEL and a right-to-left override: unknown, so the trace shows it as read.
        const char raw[] = "https://evil.example/\x07\xE2\x80\xAE" "moc.elgoog";
        const QByteArray payload =
            QByteArrayLiteral("{\"iss\":\"https://evil.example/\\u0007\\u202emoc.elgoog\",\"note\":\"a\\u0007b\\u202ec\"}");
        const verify::Trace trace = readWith(verifier, token(kHeader, payload));
        const verify::TokenReading& r = *trace.reading;
        const verify::ClaimReading* iss = claim(r, QStringLiteral("iss"));
        QVERIFY(iss);
        QCOMPARE(iss->value, verify::displayValue(raw));
        QCOMPARE(iss->value, trace.issuer.toString());
        QVERIFY(!iss->value.contains(QChar(0x07)) && !iss->value.contains(QChar(0x202E)));
        const verify::ClaimReading* note = claim(r, QStringLiteral("note"));
        QCOMPARE(note->value, verify::displayValue("a\x07" "b\xE2\x80\xAE" "c"));
        QCOMPARE(note->value, QStringLiteral("a\uFFFDb\uFFFDc"));
        // The payload box keeps the JSON, with the override written as an escape, never as itself.
        QVERIFY(r.payloadText.contains(QStringLiteral("\"a\\u0007b\\u202ec\"")));
        QVERIFY(!r.payloadText.contains(QChar(0x202E)));
        QVERIFY(!r.issuer);
    }

    void longClaim_boundedAsTheTraceBoundsIt()
    {
        const verify::PolicyVerifier verifier(policyWithOverrides());
        const QByteArray longValue(500, 'x');
        const verify::Trace trace = readWith(verifier, token(kHeader, claims("\"note\":\"" + longValue + '"')));
        QCOMPARE(claim(*trace.reading, QStringLiteral("note"))->value, verify::displayValue(longValue.toStdString()));
        QVERIFY(claim(*trace.reading, QStringLiteral("note"))->value.size() < 100);
    }

    void dateOutOfRange_isNoInstant_data()
    {
        QTest::addColumn<QByteArray>("exp");
        // Beyond the double range, beyond 9999-12-31, before 1970, and not a number.
        for (const char* exp : {"1e300", "253402300800", "-1", "\"1793530800\""})
            QTest::newRow(exp) << QByteArray(exp);
    }

    void dateOutOfRange_isNoInstant()
    {
        QFETCH(QByteArray, exp);
        const QString shown = QString::fromLatin1(exp).remove(u'"'); // the value as written
        const verify::PolicyVerifier verifier(policyWithOverrides());
        const verify::Trace trace = readWith(verifier, token(kHeader, claims("\"iat\":1793527100,\"exp\":" + exp)));
        const verify::TokenReading& r = *trace.reading;
        QCOMPARE(r.exp, std::optional<qint64>());
        QCOMPARE(r.iat, std::optional<qint64>(1793527100));
        QCOMPARE(claim(r, QStringLiteral("exp"))->value, shown);
        // The expiry step refused the same value: no reader sees an instant the verifier did not.
        QCOMPARE(trace.step(verify::StepId::Expiry)->verdict, verify::Verdict::Fail);
        // Without an exp, no lifetime is claimed for the token.
        QVERIFY(!claim(r, QStringLiteral("iat"))->meaning.contains(QStringLiteral("this token")));
    }

    void instants_readAsTheStepsReadThem()
    {
        const verify::PolicyVerifier verifier(policyWithOverrides());
        const verify::Trace trace =
            readWith(verifier, token(kHeader, claims("\"iat\":1793527100.75,\"nbf\":1793527100,\"exp\":1793530700")));
        const verify::TokenReading& r = *trace.reading;
        QCOMPARE(r.iat, std::optional<qint64>(1793527100)); // fractions floored, as the steps do
        QCOMPARE(r.nbf, std::optional<qint64>(1793527100));
        QCOMPARE(r.exp, std::optional<qint64>(1793530700));
        QVERIFY(claim(r, QStringLiteral("exp"))->value.startsWith(QStringLiteral("2026-11-01T10:58:20Z (")));
        QVERIFY(claim(r, QStringLiteral("iat"))->meaning.contains(QStringLiteral("3600 s, limit 3600 s")));
    }

    void chosenIssuer_itsOverridesAreTheRulesShown()
    {
        const verify::PolicyVerifier verifier(policyWithOverrides());
        const QByteArray payload = QStringLiteral("{\"iss\":\"%1\",\"aud\":[\"partner-api\",\"other\"],\"iat\":%2,\"exp\":%3}")
                                       .arg(kPartner)
                                       .arg(kNow - 100)
                                       .arg(kNow + 400)
                                       .toUtf8();
        const verify::Trace trace = readWith(verifier, token("{\"alg\":\"ES256\",\"kid\":\"partner-1\"}", payload));
        const verify::TokenReading& r = *trace.reading;
        QVERIFY(r.issuer);
        QCOMPARE(r.issuer->issuer, kPartner);
        QCOMPARE(r.issuer->trustDomain, QStringLiteral("partners"));
        QCOMPARE(r.clockSkewSeconds, 120);
        QCOMPARE(r.maxLifetimeSeconds, std::optional<qint64>(600));
        QVERIFY(claim(r, QStringLiteral("exp"))->meaning.contains(QStringLiteral("120 s of clock skew")));
        QVERIFY(claim(r, QStringLiteral("iat"))->meaning.contains(QStringLiteral("500 s, limit 600 s")));
        QCOMPARE(claim(r, QStringLiteral("aud"))->value, QStringLiteral("partner-api, other"));
        QVERIFY(claim(r, QStringLiteral("aud"))->meaning.endsWith(QStringLiteral("allows partner-api")));

        // An iss no entry names: the defaults.
        const verify::Trace unknown = readWith(verifier, token(kHeader, "{\"iss\":\"https://unknown.example/\"}"));
        QVERIFY(!unknown.reading->issuer);
        QCOMPARE(unknown.reading->clockSkewSeconds, 30);
        QCOMPARE(unknown.reading->maxLifetimeSeconds, std::optional<qint64>(3600));
    }

    void refusedToken_eachSegmentExplained_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("payload");
        const QString alg = QStringLiteral("{\n  \"alg\": \"RS256\"\n}"); // eyJhbGciOiJSUzI1NiJ9
        const QString sub = QStringLiteral("{\n  \"sub\": \"alice\"\n}"); // eyJzdWIiOiJhbGljZSJ9
        struct Row {
            const char* name;
            const char* token;
            QString header;
            QString payload;
        };
        const Row rows[] = {
            {"bad payload", "eyJhbGciOiJSUzI1NiJ9.@@@@.c2ln", alg, QStringLiteral("The payload segment is not valid base64url (RFC 7515 section 2).")},
            {"bad header", "bm90IGpzb24.eyJzdWIiOiJhbGljZSJ9.c2ln", QStringLiteral("The header segment decodes, but not to JSON"), sub},
            {"one segment", "garbage", QStringLiteral("The header segment"), QStringLiteral("No payload segment: the token has 1 segment(s)")},
            {"empty header", ".eyJzdWIiOiJhbGljZSJ9.c2ln", QStringLiteral("The header segment is empty."), sub},
            {"array payload", "eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln", alg, QStringLiteral("The payload segment is JSON, but not an object")},
        };
        for (const Row& row : rows)
            QTest::newRow(row.name) << QByteArray(row.token) << row.header << row.payload;
    }

    void refusedToken_eachSegmentExplained()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, header);
        QFETCH(QString, payload);
        const verify::PolicyVerifier verifier(policyWithOverrides());
        const verify::Trace trace = readWith(verifier, token);
        QVERIFY(!trace.accepted);
        const verify::TokenReading& r = *trace.reading;
        QVERIFY(!r.decoded);
        QVERIFY(r.claims.isEmpty());
        QVERIFY2(r.headerText.startsWith(header), qPrintable(r.headerText));
        QVERIFY2(r.payloadText.startsWith(payload), qPrintable(r.payloadText));
        QVERIFY(!r.headerText.contains(QStringLiteral("payload")));
        QVERIFY(!r.payloadText.contains(QStringLiteral("header")));
    }

    void tooLargeToDecode_saysSoAndDecodesNothing()
    {
        const verify::PolicyVerifier verifier(policyWithOverrides());
        const QByteArray t = token(kHeader, claims("\"pad\":\"" + QByteArray(20000, 'p') + '"'));
        const verify::Trace trace = readWith(verifier, t);
        const verify::TokenReading& r = *trace.reading;
        QVERIFY(!r.decoded);
        QVERIFY2(r.headerText.startsWith(QStringLiteral("Not decoded: the token is %1 bytes").arg(t.size())),
                 qPrintable(r.headerText));
        QCOMPARE(r.payloadText, r.headerText);
        QCOMPARE(r.exp, std::optional<qint64>());
        QVERIFY(r.segmentLengths[1] > 20000);
    }
};

QTEST_GUILESS_MAIN(TstTokenReading)
#include "tst_tokenreading.moc"
