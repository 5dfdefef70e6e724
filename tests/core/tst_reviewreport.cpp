// SPDX-License-Identifier: Apache-2.0
// The review report model (core/report/ReviewReport): what each section holds for the sample and
// test policies, bounds on large policies, the semantic diff and estate sections, and that no secret,
// private key or token reaches its text.
#include "estate/Estate.h"
#include "export/Export.h"
#include "lint/Lint.h"
#include "policy/PolicyIO.h"
#include "report/ReviewReport.h"
#include "util/Time.h"

#include <QFile>
#include <QTest>

#include <algorithm>

using namespace jwb;
using report::ReviewBlock;
using report::ReviewReport;
using report::Tone;

namespace {

qint64 instant(const char* rfc3339)
{
    return util::parseInstant(QString::fromLatin1(rfc3339)).value();
}

policy::Policy loadData(const QString& relative)
{
    auto p = policy::loadPolicyFile(QStringLiteral(JWB_TEST_DATA "/") + relative);
    if (!p)
        qFatal("cannot load %s: %s", qPrintable(relative), qPrintable(p.error().toString()));
    return p.value();
}

QList<const report::ReviewTable*> tablesOf(const ReviewReport& r, const char* sectionId)
{
    QList<const report::ReviewTable*> tables;
    if (const auto* s = r.section(QString::fromLatin1(sectionId))) {
        for (const auto& b : s->blocks) {
            if (b.kind == ReviewBlock::Kind::Table)
                tables << &b.table;
        }
    }
    return tables;
}

QString sectionText(const ReviewReport& r, const char* sectionId)
{
    ReviewReport only;
    if (const auto* s = r.section(QString::fromLatin1(sectionId)))
        only.sections << *s;
    return report::reviewReportText(only);
}

ReviewReport build(const policy::Policy& p, qint64 at, bool selfTest = true)
{
    report::ReviewInputs in;
    in.policy = p;
    in.atUnixSeconds = at;
    in.runSelfTest = selfTest;
    return report::buildReviewReport(in);
}

} // namespace

class TestReviewReport final : public QObject {
    Q_OBJECT

private slots:
    void sample_summaryNamesPolicyOwnerRevisionAndDate()
    {
        report::ReviewInputs in;
        in.policy = policy::loadSamplePolicy().value();
        in.atUnixSeconds = instant("2026-12-07T12:00:00Z");
        in.policyDate = QDateTime::fromSecsSinceEpoch(instant("2026-12-01T09:30:00Z"), Qt::UTC);
        const ReviewReport r = report::buildReviewReport(in);
        QCOMPARE(r.title, QStringLiteral("Policy review: payments-platform"));
        const QString text = sectionText(r, "summary");
        QVERIFY2(text.contains(QStringLiteral("Owner: platform-security@example.com")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Revision: 3")));
        QVERIFY(text.contains(QStringLiteral("Policy date: 2026-12-01T09:30:00Z")));
        QVERIFY(text.contains(QStringLiteral("Evaluated at: 2026-12-07T12:00:00Z")));
        QVERIFY(text.contains(QStringLiteral("Issuers: 3 in 2 trust domains")));
        QVERIFY(text.contains(QStringLiteral("Self-test: 87 variant(s) run, 0 accepted")));
        QStringList ids;
        for (const auto& s : r.sections)
            ids << s.id;
        QCOMPARE(ids, (QStringList{QStringLiteral("summary"), QStringLiteral("matrix"), QStringLiteral("issuers"),
                                   QStringLiteral("algorithms"), QStringLiteral("headers"), QStringLiteral("keys"),
                                   QStringLiteral("exceptions"), QStringLiteral("lint"), QStringLiteral("selftest"),
                                   QStringLiteral("gaps")}));
    }

    void sample_matrixIsFullGridGroupedByTrustDomain()
    {
        const ReviewReport r = build(policy::loadSamplePolicy().value(), instant("2026-12-07T12:00:00Z"), false);
        const auto* s = r.section(u"matrix");
        QVERIFY(s);
        const auto it = std::find_if(s->blocks.cbegin(), s->blocks.cend(),
                                     [](const ReviewBlock& b) { return b.kind == ReviewBlock::Kind::Matrix; });
        QVERIFY(it != s->blocks.cend());
        const report::ReviewMatrix& m = it->matrix;
        QCOMPARE(m.mode, report::ReviewMatrix::Mode::Full);
        QCOMPARE(m.columns, (QStringList{QStringLiteral("payments-api"), QStringLiteral("ledger-api"),
                                         QStringLiteral("partner-api"), QStringLiteral("billing-api")}));
        QCOMPARE(m.rows.size(), 3);
        QCOMPARE(m.totalTrustDomains, 2);
        // Grouped: partners first (map order), then the two workforce issuers together.
        QCOMPARE(m.rows.at(0).trustDomain, QStringLiteral("partners"));
        QCOMPARE(m.rows.at(1).trustDomain, QStringLiteral("workforce"));
        QCOMPARE(m.rows.at(2).trustDomain, QStringLiteral("workforce"));
        QCOMPARE(m.rows.at(0).values, (QList<int>{0, 0, 1, 0}));
        QCOMPARE(m.rows.at(1).label, QStringLiteral("https://login.example.com/"));
        QCOMPARE(m.rows.at(1).values, (QList<int>{1, 1, 0, 0}));
        QCOMPARE(m.elidedRows, 0);
        QCOMPARE(m.elidedColumns, 0);
    }

    void sample_keysShowTypeSizeThumbprintButNoSecret()
    {
        const policy::Policy p = policy::loadSamplePolicy().value();
        const ReviewReport r = build(p, instant("2026-12-07T12:00:00Z"), false);
        const auto tables = tablesOf(r, "keys");
        QCOMPARE(tables.size(), 1);
        const auto& rows = tables.first()->rows;
        QCOMPARE(rows.size(), 4); // three issuer keys and the exception's HMAC key
        QCOMPARE(rows.at(0).at(0), QStringLiteral("login-2026-11"));
        QCOMPARE(rows.at(0).at(2), QStringLiteral("RSA"));
        QCOMPARE(rows.at(0).at(3), QStringLiteral("2048 bits"));
        QCOMPARE(rows.at(0).at(4), p.issuers.at(0).keys.resolved.at(0).thumbprint);
        QCOMPARE(rows.at(1).at(3), QStringLiteral("P-256"));
        QCOMPARE(rows.at(3).at(0), QStringLiteral("billing-batch-hs256"));
        QVERIFY(rows.at(3).at(5).contains(QStringLiteral("exception billing-hs256-until-migration")));
        const QString all = report::reviewReportText(r);
        QVERIFY(!all.contains(QStringLiteral("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh-4Cu2V5fs"))); // the HMAC secret
        QVERIFY(!all.contains(QStringLiteral("rC8lk8cxTiAi6X1W9J7Wa6pNl16hrqMEcVrfNXd"))); // not even public moduli
    }

    void testPolicy_testKeysMarkedAndExpiredExceptionCalledOut()
    {
        const policy::Policy p = loadData(QStringLiteral("lint/lines.yaml"));
        const ReviewReport r = build(p, instant("2026-12-07T12:00:00Z"), false);
        const auto keys = tablesOf(r, "keys").first();
        const auto test = std::find_if(keys->rows.cbegin(), keys->rows.cend(),
                                       [](const QStringList& row) { return row.at(0) == u"partner-test"; });
        QVERIFY(test != keys->rows.cend());
        QVERIFY(test->at(5).contains(QStringLiteral("TEST KEY")));
        QCOMPARE(keys->tones.at(static_cast<int>(test - keys->rows.cbegin())), Tone::Bad);

        const auto ex = tablesOf(r, "exceptions").first();
        QCOMPARE(ex->rows.size(), 1);
        QCOMPARE(ex->rows.at(0).at(0), QStringLiteral("partner-skew"));
        QCOMPARE(ex->rows.at(0).at(2), QStringLiteral("partner-team@example.com"));
        QVERIFY(ex->rows.at(0).at(5).startsWith(QStringLiteral("EXPIRED")));
        QCOMPARE(ex->tones.at(0), Tone::Bad);
        QVERIFY(sectionText(r, "exceptions").contains(QStringLiteral("Expired, no longer applied, to be removed or renewed: partner-skew")));
    }

    void exceptionDaysLeft_data()
    {
        QTest::addColumn<QString>("at");
        QTest::addColumn<QString>("daysLeft");
        QTest::addColumn<int>("tone");
        // The sample's exception ends with 2027-03-31 (a date: the end of that day, UTC).
        QTest::newRow("months ahead") << "2026-12-07T12:00:00Z" << "115" << static_cast<int>(Tone::Notice);
        QTest::newRow("within 30 days") << "2027-03-15T00:00:00Z" << "17" << static_cast<int>(Tone::Warning);
        QTest::newRow("last second") << "2027-03-31T23:59:59Z" << "1" << static_cast<int>(Tone::Warning);
        QTest::newRow("expired") << "2027-04-10T00:00:00Z" << "EXPIRED 9 d ago" << static_cast<int>(Tone::Bad);
    }
    void exceptionDaysLeft()
    {
        QFETCH(QString, at);
        QFETCH(QString, daysLeft);
        QFETCH(int, tone);
        const ReviewReport r = build(policy::loadSamplePolicy().value(), util::parseInstant(at).value(), false);
        const auto ex = tablesOf(r, "exceptions").first();
        QCOMPARE(ex->rows.at(0).at(5), daysLeft);
        QCOMPARE(static_cast<int>(ex->tones.at(0)), tone);
        QCOMPARE(ex->rows.at(0).at(3), QStringLiteral("Billing batch still signs HS256; migration to RS256 tracked in SEC-142"));
    }

    void lintFindings_groupedBySeverityWithEveryFinding()
    {
        const policy::Policy p = loadData(QStringLiteral("lint/lines.yaml"));
        const qint64 at = instant("2026-12-07T12:00:00Z");
        const ReviewReport r = build(p, at, false);
        const auto* s = r.section(u"lint");
        QVERIFY(s);
        QStringList headings;
        for (const auto& b : s->blocks) {
            if (b.kind == ReviewBlock::Kind::Heading)
                headings << b.text.section(u' ', 0, 0);
        }
        QVERIFY(headings.size() >= 2);
        const QStringList order{QStringLiteral("error"), QStringLiteral("warning"), QStringLiteral("info")};
        for (int i = 1; i < headings.size(); ++i)
            QVERIFY(order.indexOf(headings.at(i - 1)) < order.indexOf(headings.at(i)));
        const QString text = sectionText(r, "lint");
        const auto findings = lint::lintPolicy(p, at);
        QVERIFY(!findings.isEmpty());
        for (const auto& f : findings) {
            QVERIFY2(text.contains(f.ruleId), qPrintable(f.ruleId));
            QVERIFY2(text.contains(f.message), qPrintable(f.message));
        }
    }

    void gaps_oneTablePerTargetAndASummary()
    {
        const policy::Policy p = policy::loadSamplePolicy().value();
        const ReviewReport r = build(p, instant("2026-12-07T12:00:00Z"), false);
        const auto* s = r.section(u"gaps");
        QVERIFY(s);
        const auto summary = tablesOf(r, "gaps").first();
        const int targets = static_cast<int>(exporting::gatewayTargets().size() + exporting::serviceTargets().size());
        QCOMPARE(summary->rows.size(), targets);
        QVERIFY(summary->rows.at(0).at(0).startsWith(QStringLiteral("envoy (deployed)")));
        int headings = 0;
        for (const auto& b : s->blocks)
            headings += b.kind == ReviewBlock::Kind::Heading ? 1 : 0;
        QCOMPARE(headings, targets);
        // The counts add up to the gap report's rows of that target.
        exporting::ExportProfile profile;
        profile.atUnixSeconds = instant("2026-12-07T12:00:00Z");
        const auto gaps = exporting::gapReport(p, profile).value();
        const int envoyRows = static_cast<int>(std::count_if(gaps.cbegin(), gaps.cend(),
                                                             [](const auto& g) { return g.target == u"envoy"; }));
        int sum = 0;
        for (int c = 1; c <= 4; ++c)
            sum += summary->rows.at(0).at(c).toInt();
        QCOMPARE(sum, envoyRows);
    }

    void compare_listsLooseningFirst()
    {
        const policy::Policy newer = policy::loadSamplePolicy().value();
        policy::Policy older = newer;
        older.revision = 2;
        older.issuers[0].audiences.removeAll(QStringLiteral("ledger-api")); // newer adds it: loosening
        older.defaults.clockSkewSeconds = 60;                                  // newer narrows it: tightening
        report::ReviewInputs in;
        in.policy = newer;
        in.previous = older;
        in.atUnixSeconds = instant("2026-12-07T12:00:00Z");
        in.runSelfTest = false;
        const ReviewReport r = report::buildReviewReport(in);
        QCOMPARE(r.sections.at(1).id, QStringLiteral("changes"));
        const auto t = tablesOf(r, "changes").first();
        QVERIFY(t->rows.size() >= 2);
        QCOMPARE(t->rows.at(0).at(0), QStringLiteral("loosening"));
        QCOMPARE(t->rows.at(0).at(1), QStringLiteral("audience-added"));
        QCOMPARE(t->tones.at(0), Tone::Warning);
        QVERIFY(std::any_of(t->rows.cbegin(), t->rows.cend(), [](const QStringList& row) {
            return row.at(0) == u"tightening" && row.at(1) == u"skew-narrowed";
        }));
        QVERIFY(sectionText(r, "changes").contains(QStringLiteral("From revision 2 to revision 3")));
    }

    void estate_verifiersListedNeverProbed()
    {
        auto e = estate::loadEstateFile(QStringLiteral(JWB_TEST_DATA "/estate/estate.yaml"));
        QVERIFY2(e.ok(), e ? "" : qPrintable(e.error().toString()));
        report::ReviewInputs in;
        in.policy = e->policy;
        in.estate = e.value();
        in.atUnixSeconds = instant("2026-12-07T12:00:00Z");
        in.runSelfTest = false;
        const ReviewReport r = report::buildReviewReport(in);
        const auto t = tablesOf(r, "estate").first();
        QCOMPARE(t->rows.size(), e->verifiers.size());
        for (int i = 0; i < t->rows.size(); ++i) {
            QCOMPARE(t->rows.at(i).at(0), e->verifiers.at(i).name);
            QCOMPARE(t->rows.at(i).at(4), e->verifiers.at(i).probe ? QStringLiteral("not probed") : QStringLiteral("no probe set"));
        }
        const QString text = sectionText(r, "estate");
        QVERIFY(text.contains(QStringLiteral("Verifiers are not probed")));
        // The estate's signing key is a private key: never in the report.
        QFile pem(QStringLiteral(JWB_TEST_DATA "/keys/ec-p256-private.pem"));
        QVERIFY(pem.open(QIODevice::ReadOnly));
        const QStringList pemLines = QString::fromLatin1(pem.readAll()).split(u'\n', Qt::SkipEmptyParts);
        const QString all = report::reviewReportText(r);
        QVERIFY(!all.contains(QStringLiteral("PRIVATE KEY")));
        QVERIFY(!all.contains(pemLines.at(1)));
    }

    void largePolicy_heatMapAndTablesAreBounded()
    {
        policy::Policy p = policy::loadSamplePolicy().value();
        const policy::Issuer model = p.issuers.at(0);
        p.issuers.clear();
        p.exceptions.clear();
        for (int i = 0; i < 3000; ++i) {
            policy::Issuer issuer = model;
            issuer.issuer = QStringLiteral("https://tenant-%1.example.com/").arg(i);
            issuer.trustDomain = QStringLiteral("domain-%1").arg(i % 60);
            issuer.audiences = {QStringLiteral("api-%1").arg(i % 200), QStringLiteral("shared-api")};
            p.issuers << issuer;
        }
        report::ReviewLimits limits;
        report::ReviewInputs in;
        in.policy = p;
        in.atUnixSeconds = instant("2026-12-07T12:00:00Z");
        in.runSelfTest = false;
        const ReviewReport r = report::buildReviewReport(in, limits);
        const auto* s = r.section(u"matrix");
        const auto m = std::find_if(s->blocks.cbegin(), s->blocks.cend(),
                                    [](const ReviewBlock& b) { return b.kind == ReviewBlock::Kind::Matrix; })->matrix;
        QCOMPARE(m.mode, report::ReviewMatrix::Mode::HeatMap);
        QCOMPARE(m.rows.size(), limits.heatMapDomains);
        QCOMPARE(m.elidedRows, 20);
        QCOMPARE(m.columns.size(), limits.heatMapAudiences);
        QCOMPARE(m.columns.first(), QStringLiteral("shared-api")); // the most granted first
        QCOMPARE(m.elidedColumns, 201 - limits.heatMapAudiences);
        QCOMPARE(m.rows.first().issuers, 50);
        QCOMPARE(m.rows.first().values.first(), 50);
        QVERIFY(m.note.contains(QStringLiteral("20 smaller trust domains are not shown")));

        const auto issuers = tablesOf(r, "issuers").first();
        QCOMPARE(issuers->rows.size(), limits.tableRows);
        QCOMPARE(issuers->elided, 3000 - limits.tableRows);
        QVERIFY(issuers->elidedNote.startsWith(QStringLiteral("2800 more issuers not listed")));
        for (const auto& sec : r.sections)
            for (const auto& b : sec.blocks)
                QVERIFY2(b.table.rows.size() <= limits.tableRows, qPrintable(sec.id));
    }

    void redactSecrets_removesTokensAndPemBlocks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("secret");
        QTest::newRow("jws") << "seen eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here"
                             << "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        QTest::newRow("unsigned") << "token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. end" << "eyJzdWIiOiJ4In0";
        QTest::newRow("jwe") << "eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn" << "Y2lwaGVy";
        QTest::newRow("pem") << "key -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY----- done"
                             << "MIGHAgEAMBMGByqGSM49";
        QTest::newRow("truncated pem") << "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIO" << "MHcCAQEEIO";
    }
    void redactSecrets_removesTokensAndPemBlocks()
    {
        QFETCH(QString, text);
        QFETCH(QString, secret);
        const QString out = report::redactSecrets(text);
        QVERIFY2(!out.contains(secret), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("[redacted")));
    }

    void redactSecrets_leavesOrdinaryTextAlone()
    {
        const QString text = QStringLiteral("kid login-2026-11, thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs, https://a.example/");
        QCOMPARE(report::redactSecrets(text), text);
    }
};

QTEST_GUILESS_MAIN(TestReviewReport)
#include "tst_reviewreport.moc"
