// SPDX-License-Identifier: Apache-2.0
// keys::pinKeysInto: the one place keys are appended to an issuer's pinned sets (import into
// keys.jwks, minted test keys into keys.test_jwks): duplicates by thumbprint, unusable keys, source
// names the loader would give, the test mark, and the untouched other sources. A pinned set read
// back through the policy loader gives the same keys.
#include "TestKeys.h"
#include "keys/Key.h"
#include "keys/KeyPinning.h"
#include "policy/PolicyIO.h"

#include <QJsonArray>
#include <QTest>

using namespace jwb;
using namespace jwb::keys;

namespace {

Key hmac(char fill, const QString& kid)
{
    Result<Key> key = hmacKey(QByteArray(32, fill), kid, QStringLiteral("test"));
    if (!key)
        qFatal("hmac test key: %s", qPrintable(key.error().toString()));
    return key.value();
}

qsizetype setSize(const std::optional<QJsonObject>& set)
{
    return set ? set->value(QLatin1String("keys")).toArray().size() : 0;
}

// Sources holding one inline key, as the loader resolves them.
policy::KeySources oneInlineKey()
{
    policy::KeySources sources;
    Result<PinnedKeys> first = pinKeysInto(
        sources, PinRequest{{testing::keyFromFile("rsa2048-public.pem", QStringLiteral("rsa"))}, PinTarget::InlineJwks,
                            QStringLiteral("rsa.pem")},
        QStringLiteral("https://login.example.com/"));
    if (!first)
        qFatal("pin: %s", qPrintable(first.error().toString()));
    return first->sources;
}

} // namespace

class TestKeyPinning final : public QObject {
    Q_OBJECT

private slots:
    void inline_appendsToJwks_namesSourceByIndex()
    {
        policy::KeySources sources = oneInlineKey();
        sources.jwksFile = QStringLiteral("keys.json"); // other sources stay as written
        const Key ec = testing::keyFromFile("ec-p256-public.pem", QStringLiteral("ec"));
        Result<PinnedKeys> pinned =
            pinKeysInto(sources, PinRequest{{ec}, PinTarget::InlineJwks, QStringLiteral("ec.pem")}, QStringLiteral("iss"));
        QVERIFY2(pinned.ok(), pinned.ok() ? "" : qPrintable(pinned.error().toString()));
        QCOMPARE(setSize(pinned->sources.jwks), 2);
        QVERIFY(!pinned->sources.testJwks.has_value());
        QCOMPARE(pinned->sources.jwksFile, QStringLiteral("keys.json"));
        QCOMPARE(pinned->sources.resolved.size(), 2);
        QCOMPARE(pinned->added.size(), 1);
        QCOMPARE(pinned->added.first().thumbprint, ec.thumbprint);
        QCOMPARE(pinned->added.first().source, QStringLiteral("inline jwks #1"));
        QVERIFY(!pinned->added.first().testKey);
        QCOMPARE(pinned->sources.resolved.last().source, QStringLiteral("inline jwks #1"));
        // The input is a value: it is not changed.
        QCOMPARE(setSize(sources.jwks), 1);
    }

    void inline_skipsKnownAndRepeatedKeys()
    {
        const policy::KeySources sources = oneInlineKey();
        const Key rsa = testing::keyFromFile("rsa2048-public.pem");
        const Key ec = testing::keyFromFile("ec-p256-public.pem");
        Result<PinnedKeys> pinned = pinKeysInto(
            sources, PinRequest{{rsa, ec, ec}, PinTarget::InlineJwks, QStringLiteral("set.json")}, QStringLiteral("iss"));
        QVERIFY(pinned.ok());
        QCOMPARE(pinned->added.size(), 1);
        QCOMPARE(setSize(pinned->sources.jwks), 2);
        QCOMPARE(pinned->sources.resolved.size(), 2);
    }

    void refusals_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<bool>("alreadyPinned"); // the key is in the sources already
        QTest::addColumn<bool>("noMaterial");    // a key that cannot be written as a JWK
        QTest::addColumn<bool>("empty");         // no key asked for
        QTest::addColumn<QString>("code");
        const int inl = int(PinTarget::InlineJwks);
        const int test = int(PinTarget::TestJwks);
        QTest::newRow("inline: every key known") << inl << true << false << false << "ERR_EDIT_DUPLICATE";
        QTest::newRow("inline: no key") << inl << false << false << true << "ERR_EDIT_DUPLICATE";
        QTest::newRow("inline: no material") << inl << false << true << false << "ERR_EDIT_KEY";
        QTest::newRow("test: known") << test << true << false << false << "ERR_TEST_KEY_DUPLICATE";
        QTest::newRow("test: no key") << test << false << false << true << "ERR_TEST_KEY_NONE";
        QTest::newRow("test: no material") << test << false << true << false << "ERR_TEST_KEY_JWK";
    }

    void refusals()
    {
        QFETCH(int, target);
        QFETCH(bool, alreadyPinned);
        QFETCH(bool, noMaterial);
        QFETCH(bool, empty);
        QFETCH(QString, code);
        const policy::KeySources sources = oneInlineKey();
        Key key = alreadyPinned ? sources.resolved.first() : hmac('m', QStringLiteral("minted"));
        if (noMaterial)
            key.material.reset();
        const QList<Key> keys = empty ? QList<Key>{} : QList<Key>{key};
        Result<PinnedKeys> pinned = pinKeysInto(
            sources, PinRequest{keys, PinTarget(target), QStringLiteral("src")}, QStringLiteral("https://login/"));
        QVERIFY(!pinned);
        QCOMPARE(pinned.error().code, code);
        QVERIFY(!pinned.error().message.isEmpty());
    }

    void test_marksKeyAndWritesTestJwks_jwksUntouched()
    {
        const policy::KeySources sources = oneInlineKey();
        const Key minted = hmac('t', QStringLiteral("minted-1"));
        Result<PinnedKeys> pinned = pinKeysInto(
            sources, PinRequest{{minted}, PinTarget::TestJwks, QStringLiteral("mint")}, QStringLiteral("iss"));
        QVERIFY(pinned.ok());
        QCOMPARE(pinned->sources.jwks, sources.jwks);
        QCOMPARE(setSize(pinned->sources.testJwks), 1);
        QCOMPARE(pinned->added.size(), 1);
        QVERIFY(pinned->added.first().testKey);
        QCOMPARE(pinned->added.first().source, QStringLiteral("test_jwks #0"));
        QCOMPARE(pinned->sources.resolved.size(), 2);
        QVERIFY(pinned->sources.resolved.last().testKey);
    }

    void test_sameKeyTwiceInOneRequest_refused()
    {
        const Key minted = hmac('t', QStringLiteral("minted-1"));
        Result<PinnedKeys> pinned = pinKeysInto(
            {}, PinRequest{{minted, minted}, PinTarget::TestJwks, QStringLiteral("mint")}, QStringLiteral("iss"));
        QVERIFY(!pinned);
        QCOMPARE(pinned.error().code, QStringLiteral("ERR_TEST_KEY_DUPLICATE"));
    }

    void pinnedSets_readBackByLoader_sameKeysAndSources()
    {
        Result<policy::Policy> base = policy::loadSamplePolicy();
        QVERIFY(base.ok());
        policy::Policy p = base.value();
        policy::KeySources& sources = p.issuers[0].keys;
        sources.jwksFile.clear();
        sources.pemFiles.clear();
        sources.jwks.reset();
        sources.testJwks.reset();
        sources.resolved.clear();
        Result<PinnedKeys> inl = pinKeysInto(
            sources,
            PinRequest{{testing::keyFromFile("rsa2048-public.pem", QStringLiteral("a")),
                        testing::keyFromFile("ec-p256-public.pem", QStringLiteral("b"))},
                       PinTarget::InlineJwks, QStringLiteral("pems")},
            p.issuers[0].issuer);
        QVERIFY(inl.ok());
        Result<PinnedKeys> test = pinKeysInto(
            inl->sources, PinRequest{{hmac('x', QStringLiteral("t"))}, PinTarget::TestJwks, QStringLiteral("mint")},
            p.issuers[0].issuer);
        QVERIFY(test.ok());
        sources = test->sources;

        const QByteArray yaml = policy::serializePolicy(p, policy::Format::Yaml);
        Result<policy::Policy> reread = policy::parsePolicy(yaml, policy::Format::Yaml, QStringLiteral("p.yaml"), {});
        QVERIFY2(reread.ok(), reread.ok() ? "" : qPrintable(reread.error().toString()));
        const QList<Key>& loaded = reread->issuers.at(0).keys.resolved;
        QCOMPARE(loaded.size(), 3);
        for (const Key& pinned : sources.resolved) {
            const auto it = std::find_if(loaded.cbegin(), loaded.cend(),
                                         [&pinned](const Key& k) { return k.thumbprint == pinned.thumbprint; });
            QVERIFY(it != loaded.cend());
            QCOMPARE(it->source, pinned.source);
            QCOMPARE(it->testKey, pinned.testKey);
            QCOMPARE(it->kid, pinned.kid);
        }
    }
};

QTEST_GUILESS_MAIN(TestKeyPinning)
#include "tst_keypinning.moc"
