// SPDX-License-Identifier: Apache-2.0
// PolicyDocument: every edit is one undo step with a readable name; invalid edits are refused with
// a message and leave the policy as it was.
#include "UiTestSupport.h"
#include "models/PolicyDocument.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace jwb;
using namespace jwb::ui;

class TestPolicyDocument final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_doc = std::make_unique<PolicyDocument>();
        m_doc->reset(uitest::sample(), {});
    }

    void reset_isCleanWithAudienceColumnsInFirstAppearanceOrder()
    {
        QVERIFY(!m_doc->isModified());
        QCOMPARE(m_doc->undoStack()->count(), 0);
        QCOMPARE(m_doc->audiences(), (QStringList{QStringLiteral("payments-api"), QStringLiteral("ledger-api"),
                                                  QStringLiteral("partner-api"), QStringLiteral("billing-api")}));
    }

    void setDefaultClockSkew900_refusedWithMessage_policyUnchanged()
    {
        QSignalSpy refused(m_doc.get(), &PolicyDocument::editRefused);
        const policy::Policy before = m_doc->policy();
        Status s = m_doc->setDefaultClockSkew(900);
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("ERR_EDIT_OUT_OF_RANGE"));
        QCOMPARE(s.error().location, QStringLiteral("defaults.clock_skew_seconds"));
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused.first().first().toString().contains(QStringLiteral("900")));
        QCOMPARE(m_doc->policy(), before);
        QCOMPARE(m_doc->undoStack()->count(), 0);
        QVERIFY(!m_doc->isModified());
    }

    void overrideClockSkewNegative_refused()
    {
        policy::Rules rules = m_doc->policy().issuers.at(1).overrides;
        rules.clockSkewSeconds = -1;
        Status s = m_doc->setIssuerOverrides(1, rules, QStringLiteral("clock skew"), QStringLiteral("clock_skew_seconds"));
        QVERIFY(!s);
        QCOMPARE(s.error().location, QStringLiteral("issuers[1].overrides.clock_skew_seconds"));
        QCOMPARE(m_doc->policy().issuers.at(1).overrides.clockSkewSeconds, std::optional<int>(10));
    }

    void algorithmNone_refusedInAnySpelling_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::newRow("none") << QStringLiteral("none");
        QTest::newRow("NONE") << QStringLiteral("NONE");
        QTest::newRow("nOnE") << QStringLiteral("nOnE");
        QTest::newRow("unknown") << QStringLiteral("RS1");
    }
    void algorithmNone_refusedInAnySpelling()
    {
        QFETCH(QString, alg);
        policy::Rules rules = m_doc->policy().defaults;
        rules.algorithms = QStringList{QStringLiteral("RS256"), alg};
        Status s = m_doc->setDefaults(rules, QStringLiteral("algorithms"), QStringLiteral("algorithms"));
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("ERR_EDIT_ALGORITHM"));
    }

    void clockSkewTyping_mergesIntoOneUndoStep()
    {
        QVERIFY(m_doc->setDefaultClockSkew(4).ok());
        QVERIFY(m_doc->setDefaultClockSkew(45).ok());
        QCOMPARE(m_doc->undoStack()->count(), 1);
        QCOMPARE(m_doc->undoStack()->undoText(), QStringLiteral("Set default clock skew to 45 s"));
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy().defaults.clockSkewSeconds, std::optional<int>(30));
        QVERIFY(!m_doc->isModified());
    }

    // The audience index (column by name, trust domains per audience, shared count) agrees with a
    // scan of the policy after every kind of change.
    void audienceIndex_matchesAScanAfterEveryChange()
    {
        const auto agrees = [this]() -> bool {
            int shared = 0;
            for (int c = 0; c < m_doc->audiences().size(); ++c) {
                const QString& aud = m_doc->audiences().at(c);
                if (m_doc->audienceColumn(aud) != c)
                    return false;
                QStringList domains;
                for (const policy::Issuer& i : m_doc->policy().issuers)
                    if (i.audiences.contains(aud) && !domains.contains(i.trustDomain))
                        domains.append(i.trustDomain);
                domains.sort();
                if (m_doc->trustDomainsForAudience(aud) != domains)
                    return false;
                shared += domains.size() > 1 ? 1 : 0;
            }
            return m_doc->sharedAudienceCount() == shared && m_doc->audienceColumn(QStringLiteral("nope")) == -1;
        };
        QVERIFY(agrees());
        QSignalSpy flipped(m_doc.get(), &PolicyDocument::audienceSharingChanged);
        QVERIFY(m_doc->setAudienceAllowed(1, m_doc->audienceColumn(QStringLiteral("ledger-api")), true).ok());
        QCOMPARE(flipped.count(), 1);
        QCOMPARE(flipped.last().first().toStringList(), QStringList{QStringLiteral("ledger-api")});
        QCOMPARE(m_doc->sharedAudiences(5), QStringList{QStringLiteral("ledger-api")});
        QVERIFY(agrees());
        QVERIFY(m_doc->setIssuerTrustDomain(1, QStringLiteral("workforce")).ok()); // no longer across domains
        QCOMPARE(m_doc->sharedAudienceCount(), 0);
        QVERIFY(agrees());
        QVERIFY(m_doc->addAudience(QStringLiteral("fresh-api")).ok());
        QVERIFY(m_doc->renameAudience(m_doc->audienceColumn(QStringLiteral("ledger-api")), QStringLiteral("ledger")).ok());
        QVERIFY(agrees());
        QVERIFY(m_doc->removeAudience(0).ok());
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://new.example.com/"), QStringLiteral("lab")).ok());
        QVERIFY(m_doc->removeIssuer(0).ok());
        QVERIFY(agrees());
        QCOMPARE(m_doc->trustDomains(), (QStringList{QStringLiteral("lab"), QStringLiteral("workforce")}));
        while (m_doc->undoStack()->canUndo()) {
            m_doc->undoStack()->undo();
            QVERIFY(agrees());
        }
        while (m_doc->undoStack()->canRedo()) {
            m_doc->undoStack()->redo();
            QVERIFY(agrees());
        }
        m_doc->reset(uitest::sample(), {});
        QVERIFY(agrees());
        QCOMPARE(m_doc->trustDomains(), (QStringList{QStringLiteral("partners"), QStringLiteral("workforce")}));
    }

    void toggleAudience_readableUndoTextAndUndoRestores()
    {
        const int ledger = static_cast<int>(m_doc->audiences().indexOf(QStringLiteral("ledger-api")));
        QVERIFY(m_doc->setAudienceAllowed(1, ledger, true).ok());
        QCOMPARE(m_doc->undoStack()->undoText(),
                 QStringLiteral("Allow audience ledger-api for https://auth.partner.example.net/"));
        QVERIFY(m_doc->policy().issuers.at(1).audiences.contains(QStringLiteral("ledger-api")));
        QVERIFY(m_doc->audienceSharedAcrossDomains(QStringLiteral("ledger-api")));
        QVERIFY(m_doc->isModified());
        m_doc->undoStack()->undo();
        QVERIFY(!m_doc->policy().issuers.at(1).audiences.contains(QStringLiteral("ledger-api")));
        QVERIFY(!m_doc->audienceSharedAcrossDomains(QStringLiteral("ledger-api")));
        QVERIFY(!m_doc->isModified());
    }

    void renameIssuer_exceptionsFollow_undoRestoresBoth()
    {
        const QString billing = QStringLiteral("https://billing.internal.example.com/");
        const QString renamed = QStringLiteral("https://billing.example.com/");
        QVERIFY(m_doc->renameIssuer(2, renamed).ok());
        QCOMPARE(m_doc->policy().issuers.at(2).issuer, renamed);
        QCOMPARE(m_doc->policy().exceptions.at(0).issuer, renamed);
        QCOMPARE(m_doc->undoStack()->count(), 1);
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy().issuers.at(2).issuer, billing);
        QCOMPARE(m_doc->policy().exceptions.at(0).issuer, billing);
    }

    void renameIssuer_duplicateOrWhitespace_refused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("code");
        QTest::newRow("duplicate") << QStringLiteral("https://login.example.com/") << QStringLiteral("ERR_EDIT_DUPLICATE");
        QTest::newRow("empty") << QString() << QStringLiteral("ERR_EDIT_EMPTY");
        QTest::newRow("trailing space") << QStringLiteral("https://x.example/ ") << QStringLiteral("ERR_EDIT_WHITESPACE");
    }
    void renameIssuer_duplicateOrWhitespace_refused()
    {
        QFETCH(QString, name);
        QFETCH(QString, code);
        Status s = m_doc->renameIssuer(1, name);
        QVERIFY(!s);
        QCOMPARE(s.error().code, code);
    }

    void removeIssuerNamedByException_refused()
    {
        Status s = m_doc->removeIssuer(2);
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("ERR_EDIT_IN_USE"));
        QCOMPARE(m_doc->issuerCount(), 3);
    }

    void removeAudience_removesFromEveryIssuer_undoRestoresColumnAndTicks()
    {
        const QStringList columns = m_doc->audiences();
        const int ledger = static_cast<int>(columns.indexOf(QStringLiteral("ledger-api")));
        QVERIFY(m_doc->removeAudience(ledger).ok());
        QVERIFY(!m_doc->audiences().contains(QStringLiteral("ledger-api")));
        for (const auto& issuer : m_doc->policy().issuers)
            QVERIFY(!issuer.audiences.contains(QStringLiteral("ledger-api")));
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->audiences(), columns);
        QCOMPARE(m_doc->policy(), uitest::sample());
    }

    void renameAudience_renamesInEveryIssuer_undo()
    {
        const int ledger = static_cast<int>(m_doc->audiences().indexOf(QStringLiteral("ledger-api")));
        QVERIFY(m_doc->renameAudience(ledger, QStringLiteral("ledger")).ok());
        QCOMPARE(m_doc->undoStack()->undoText(), QStringLiteral("Rename audience ledger-api to ledger"));
        QVERIFY(m_doc->policy().issuers.at(0).audiences.contains(QStringLiteral("ledger")));
        QVERIFY(m_doc->policy().issuers.at(2).audiences.contains(QStringLiteral("ledger")));
        QCOMPARE(m_doc->audiences().at(ledger), QStringLiteral("ledger"));
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy(), uitest::sample());
        QCOMPARE(m_doc->audiences().at(ledger), QStringLiteral("ledger-api"));
    }

    // The issuers listing an audience change as one: views hear of them once, not once per issuer.
    void renameOrRemoveAudience_announcesItsIssuersOnce_undoRedoToo()
    {
        const QString ledger = QStringLiteral("ledger-api");
        QList<int> listing;
        for (int row = 0; row < m_doc->issuerCount(); ++row)
            if (m_doc->policy().issuers.at(row).audiences.contains(ledger))
                listing.append(row);
        QVERIFY(listing.size() >= 2);
        QSignalSpy changed(m_doc.get(), &PolicyDocument::issuersChanged);
        const auto announcedOnce = [&changed, &listing] {
            const bool once = changed.count() == 1 && changed.first().first().value<QList<int>>() == listing;
            changed.clear();
            return once;
        };
        QVERIFY(m_doc->renameAudience(m_doc->audienceColumn(ledger), QStringLiteral("ledger")).ok());
        QVERIFY(announcedOnce());
        m_doc->undoStack()->undo();
        QVERIFY(announcedOnce());
        QCOMPARE(m_doc->policy(), uitest::sample());
        m_doc->undoStack()->redo();
        QVERIFY(announcedOnce());
        m_doc->undoStack()->undo();
        changed.clear();

        QVERIFY(m_doc->removeAudience(m_doc->audienceColumn(ledger)).ok());
        QVERIFY(announcedOnce());
        m_doc->undoStack()->undo();
        QVERIFY(announcedOnce());
        QCOMPARE(m_doc->policy(), uitest::sample());

        // A column no issuer has ticked yet: renaming it changes no issuer.
        QVERIFY(m_doc->addAudience(QStringLiteral("reports-api")).ok());
        QVERIFY(m_doc->renameAudience(m_doc->audienceColumn(QStringLiteral("reports-api")), QStringLiteral("reports"))
                    .ok());
        QCOMPARE(changed.count(), 0);
    }

    void addAudience_untickedColumnIsKeptButNotSaved()
    {
        QVERIFY(m_doc->addAudience(QStringLiteral("reports-api")).ok());
        QCOMPARE(m_doc->audiences().last(), QStringLiteral("reports-api"));
        QCOMPARE(m_doc->policy(), uitest::sample());
        QVERIFY(!m_doc->addAudience(QStringLiteral("reports-api")));
    }

    void jwksUriPlainHttp_refused()
    {
        Status s = m_doc->setIssuerJwksUri(0, QStringLiteral("http://login.example.com/jwks.json"));
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("ERR_EDIT_URI"));
        QVERIFY(m_doc->setIssuerJwksUri(0, QStringLiteral("https://login.example.com/keys")).ok());
    }

    void importKeys_pinnedInlineAndRemovable()
    {
        Result<keys::Key> secret = keys::hmacKey(QByteArray(32, 'k'), QStringLiteral("hs-test"), QStringLiteral("test"));
        QVERIFY2(secret.ok(), secret.ok() ? "" : qPrintable(secret.error().toString()));
        const qsizetype before = m_doc->policy().issuers.at(0).keys.resolved.size();
        QVERIFY(m_doc->importIssuerKeys(0, {secret.value()}, QStringLiteral("test")).ok());
        QCOMPARE(m_doc->policy().issuers.at(0).keys.resolved.size(), before + 1);
        QCOMPARE(m_doc->policy().issuers.at(0).keys.jwks->value(QLatin1String("keys")).toArray().size(), before + 1);
        // The same key again is not pinned twice.
        QVERIFY(!m_doc->importIssuerKeys(0, {secret.value()}, QStringLiteral("test")));
        QVERIFY(m_doc->removeIssuerKey(0, secret->thumbprint).ok());
        QCOMPARE(m_doc->policy().issuers.at(0).keys.resolved.size(), before);
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy().issuers.at(0).keys.resolved.size(), before + 1);
    }

    void importKeys_oneUndoStep_undoRedoRestoreSetAndSources()
    {
        const policy::Issuer original = m_doc->policy().issuers.at(0);
        Result<keys::Key> a = keys::hmacKey(QByteArray(32, 'a'), QStringLiteral("hs-a"), QStringLiteral("test"));
        Result<keys::Key> b = keys::hmacKey(QByteArray(32, 'b'), QStringLiteral("hs-b"), QStringLiteral("test"));
        QVERIFY(a.ok() && b.ok());
        const int steps = m_doc->undoStack()->count();
        QVERIFY(m_doc->importIssuerKeys(0, {a.value(), b.value(), a.value()}, QStringLiteral("keys.json")).ok());
        QCOMPARE(m_doc->undoStack()->count(), steps + 1);
        QCOMPARE(m_doc->undoStack()->undoText(),
                 QStringLiteral("Import 2 key(s) from keys.json for %1").arg(original.issuer));
        const policy::Issuer imported = m_doc->policy().issuers.at(0);
        QCOMPARE(imported.keys.resolved.size(), original.keys.resolved.size() + 2);
        const qsizetype inlineBefore =
            original.keys.jwks ? original.keys.jwks->value(QLatin1String("keys")).toArray().size() : 0;
        QCOMPARE(imported.keys.resolved.last().source, QStringLiteral("inline jwks #%1").arg(inlineBefore + 1));
        QVERIFY(!imported.keys.resolved.last().testKey);

        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy().issuers.at(0), original);
        QCOMPARE(m_doc->policy().issuers.at(0).keys.resolved.size(), original.keys.resolved.size());
        m_doc->undoStack()->redo();
        QCOMPARE(m_doc->policy().issuers.at(0), imported);
        QCOMPARE(m_doc->policy().issuers.at(0).keys.resolved.size(), imported.keys.resolved.size());
    }

    void importKeys_refusalsKeepTheirCodes_andAreAnnounced()
    {
        QSignalSpy refused(m_doc.get(), &PolicyDocument::editRefused);
        const int steps = m_doc->undoStack()->count();
        Status none = m_doc->importIssuerKeys(0, {}, QStringLiteral("empty.json"));
        QVERIFY(!none);
        QCOMPARE(none.error().code, QStringLiteral("ERR_EDIT_DUPLICATE"));
        Result<keys::Key> key = keys::hmacKey(QByteArray(32, 'a'), QStringLiteral("hs-a"), QStringLiteral("test"));
        QVERIFY(key.ok());
        keys::Key broken = key.value();
        broken.material.reset();
        Status unusable = m_doc->importIssuerKeys(0, {broken}, QStringLiteral("broken.json"));
        QVERIFY(!unusable);
        QCOMPARE(unusable.error().code, QStringLiteral("ERR_EDIT_KEY"));
        Status row = m_doc->importIssuerKeys(99, {key.value()}, QStringLiteral("keys.json"));
        QCOMPARE(row.error().code, QStringLiteral("ERR_EDIT_NO_SUCH_ITEM"));
        QCOMPARE(refused.count(), 3);
        QCOMPARE(m_doc->undoStack()->count(), steps);
    }

    void addTestKey_markedInTestJwks_undoRedo()
    {
        const policy::Issuer original = m_doc->policy().issuers.at(1);
        Result<keys::Key> minted = keys::hmacKey(QByteArray(32, 't'), QStringLiteral("minted-1"), QStringLiteral("mint"));
        QVERIFY(minted.ok());
        QVERIFY(m_doc->addTestKey(1, minted.value()).ok());
        QCOMPARE(m_doc->undoStack()->undoText(), QStringLiteral("Add test key minted-1 to %1").arg(original.issuer));
        const policy::Issuer pinned = m_doc->policy().issuers.at(1);
        QVERIFY(pinned.keys.testJwks.has_value());
        QCOMPARE(pinned.keys.jwks, original.keys.jwks);
        QVERIFY(pinned.keys.resolved.last().testKey);
        QVERIFY(pinned.keys.resolved.last().source.startsWith(QStringLiteral("test_jwks #")));

        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy().issuers.at(1), original);
        QCOMPARE(m_doc->policy().issuers.at(1).keys.resolved.size(), original.keys.resolved.size());
        m_doc->undoStack()->redo();
        QCOMPARE(m_doc->policy().issuers.at(1), pinned);
        QVERIFY(m_doc->policy().issuers.at(1).keys.resolved.last().testKey);
    }

    void addTestKey_refusals_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<bool>("twice");
        QTest::addColumn<bool>("noMaterial");
        QTest::addColumn<QString>("code");
        QTest::newRow("no such issuer") << 99 << false << false << "ERR_TEST_KEY_ISSUER";
        QTest::newRow("negative row") << -1 << false << false << "ERR_TEST_KEY_ISSUER";
        QTest::newRow("already pinned") << 0 << true << false << "ERR_TEST_KEY_DUPLICATE";
        QTest::newRow("not writable as JWK") << 0 << false << true << "ERR_TEST_KEY_JWK";
    }

    void addTestKey_refusals()
    {
        QFETCH(int, row);
        QFETCH(bool, twice);
        QFETCH(bool, noMaterial);
        QFETCH(QString, code);
        Result<keys::Key> minted = keys::hmacKey(QByteArray(32, 't'), QStringLiteral("minted-1"), QStringLiteral("mint"));
        QVERIFY(minted.ok());
        keys::Key key = minted.value();
        if (noMaterial)
            key.material.reset();
        if (twice)
            QVERIFY(m_doc->addTestKey(row, key).ok());
        const int steps = m_doc->undoStack()->count();
        const policy::Policy before = m_doc->policy();
        QSignalSpy refused(m_doc.get(), &PolicyDocument::editRefused);
        Status s = m_doc->addTestKey(row, key);
        QVERIFY(!s);
        QCOMPARE(s.error().code, code);
        QCOMPARE(refused.count(), 1);
        QCOMPARE(m_doc->undoStack()->count(), steps);
        QCOMPARE(m_doc->policy(), before);
    }

    void exceptionUnknownIssuer_refused()
    {
        policy::PolicyException e = m_doc->policy().exceptions.at(0);
        e.issuer = QStringLiteral("https://nobody.example/");
        Status s = m_doc->setException(0, e, QStringLiteral("issuer"), {});
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("ERR_EDIT_NO_SUCH_ITEM"));
    }

    void saveAs_marksCleanAndRoundTrips()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(m_doc->setDefaultClockSkew(12).ok());
        QVERIFY(m_doc->isModified());
        const QString path = dir.filePath(QStringLiteral("p.json"));
        QVERIFY(m_doc->saveAs(path).ok());
        QVERIFY(!m_doc->isModified());
        QCOMPARE(m_doc->format(), policy::Format::Json);
        PolicyDocument other;
        QVERIFY(other.open(path).ok());
        QCOMPARE(other.policy(), m_doc->policy());
    }

private:
    std::unique_ptr<PolicyDocument> m_doc;
};

QTEST_GUILESS_MAIN(TestPolicyDocument)
#include "tst_policydocument.moc"
