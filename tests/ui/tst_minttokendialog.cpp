// SPDX-License-Identifier: Apache-2.0
// Mint dialog: signs with a test key generated in the app for every supported algorithm; a minted
// token verifies under the policy once its key is added (marked as a test key, reported by lint,
// undoable); bad extra claims are refused with a clear error.
#include "UiTestSupport.h"
#include "dialogs/MintTokenDialog.h"
#include "lint/Lint.h"
#include "models/PolicyDocument.h"
#include "token/CompactToken.h"
#include "util/Time.h"
#include "verify/PolicyVerifier.h"
#include "TestKeys.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QStandardPaths>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace jwb;
using namespace jwb::ui;

namespace {

qint64 issuedAt() { return util::parseInstant(QStringLiteral("2026-11-01T10:00:00Z")).value(); }

verify::Trace verifyAt(const policy::Policy& policy, const QString& token, qint64 at)
{
    const verify::PolicyVerifier verifier(policy);
    verify::VerifyOptions options;
    options.atUnixSeconds = at;
    return verifier.verify(token.toLatin1(), options);
}

QByteArray testKeyFile(const char* name)
{
    QFile f(QStringLiteral(JWB_TEST_DATA "/keys/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", name);
    return f.readAll();
}

bool hasTestKeyFinding(const policy::Policy& policy)
{
    const QList<lint::Finding> findings = lint::lintPolicy(policy, issuedAt());
    return std::any_of(findings.cbegin(), findings.cend(), [](const lint::Finding& f) {
        return f.ruleId == QLatin1String("test-key-present") && f.severity == lint::Severity::Error;
    });
}

} // namespace

class TestMintTokenDialog final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyAlgorithm_signsWithGeneratedTestKey_data()
    {
        QTest::addColumn<QString>("alg");
        for (int i = 0; i < crypto::kAlgorithmCount; ++i) {
            const QString name = crypto::algorithmName(static_cast<crypto::Algorithm>(i));
            QTest::newRow(qPrintable(name)) << name;
        }
    }

    void everyAlgorithm_signsWithGeneratedTestKey()
    {
        QFETCH(QString, alg);
        MintTokenDialog dialog(uitest::sample());
        dialog.findChild<QComboBox*>(QStringLiteral("algorithmCombo"))->setCurrentText(alg);
        Result<QString> token = dialog.mint();
        QVERIFY2(token.ok(), token.ok() ? "" : qPrintable(token.error().toString()));
        QVERIFY(dialog.signingKey().has_value());
        QVERIFY(dialog.signingKey()->publicKey().testKey);
        const crypto::Algorithm a = crypto::algorithmFromName(alg);
        const verify::Trace trace = verify::verifySignatureOnly(token->toLatin1(), {dialog.signingKey()->publicKey()}, a);
        QVERIFY2(trace.accepted, qPrintable(trace.toText()));
        // The header names the algorithm and the key.
        auto parsed = token::parseCompact(token->toLatin1(), {});
        QVERIFY(std::holds_alternative<token::CompactToken>(parsed));
        const json::Value& header = std::get<token::CompactToken>(parsed).header;
        QCOMPARE(header.find("alg")->toQString(), alg);
        QCOMPARE(header.find("kid")->toQString(), dialog.signingKey()->publicKey().kid);
    }

    void mintedToken_verifiesAfterTestKeyAddedToIssuer()
    {
        PolicyDocument document;
        document.reset(uitest::sample(), {});
        MintTokenDialog dialog(document.policy());
        dialog.setDocument(&document);
        dialog.setIssuedAt(issuedAt());
        auto* issuer = dialog.findChild<QComboBox*>(QStringLiteral("issuerCombo"));
        issuer->setCurrentText(QStringLiteral("https://login.example.com/"));
        QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("algorithmCombo"))->currentText(), QStringLiteral("RS256"));
        dialog.findChild<QComboBox*>(QStringLiteral("audienceCombo"))->setCurrentText(QStringLiteral("ledger-api"));
        dialog.findChild<QLineEdit*>(QStringLiteral("subjectEdit"))->setText(QStringLiteral("bob"));

        // Without the key in the policy the token is refused at key selection.
        Result<QString> first = dialog.mint();
        QVERIFY(first.ok());
        const verify::Trace before = verifyAt(document.policy(), first.value(), issuedAt() + 10);
        QVERIFY(!before.accepted);
        QCOMPARE(before.firstFailure()->id, verify::StepId::Key);
        QVERIFY(!hasTestKeyFinding(document.policy()));

        auto* addKey = dialog.findChild<QCheckBox*>(QStringLiteral("addTestKeyCheck"));
        QVERIFY(addKey->isEnabled());
        QVERIFY(addKey->text().contains(QStringLiteral("TEST KEY")));
        QVERIFY(addKey->text().contains(QStringLiteral("https://login.example.com/")));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("testKeyMark"))->isVisibleTo(&dialog));
        addKey->setChecked(true);
        QSignalSpy opened(&dialog, &MintTokenDialog::openInTokenLab);
        dialog.findChild<QPushButton*>(QStringLiteral("signButton"))->click();
        const QString token = dialog.token();
        QCOMPARE(document.undoStack()->count(), 1);
        QVERIFY(document.undoStack()->undoText().contains(QStringLiteral("test key")));

        const policy::Issuer& login = document.policy().issuers.at(0);
        QVERIFY(login.keys.testJwks.has_value());
        QCOMPARE(login.keys.testJwks->value(QStringLiteral("keys")).toArray().size(), 1);
        QVERIFY(login.keys.resolved.last().testKey);
        const verify::Trace after = verifyAt(document.policy(), token, issuedAt() + 10);
        QVERIFY2(after.accepted, qPrintable(after.toText()));
        QVERIFY(hasTestKeyFinding(document.policy()));

        // The key survives a save/load round trip still marked as a test key.
        const QByteArray yaml = policy::serializePolicy(document.policy(), policy::Format::Yaml);
        QVERIFY(yaml.contains("test_jwks"));
        Result<policy::Policy> reloaded = policy::parsePolicy(yaml, policy::Format::Yaml, QStringLiteral("reload.yaml"), {});
        QVERIFY2(reloaded.ok(), reloaded.ok() ? "" : qPrintable(reloaded.error().toString()));
        QVERIFY(verifyAt(reloaded.value(), token, issuedAt() + 10).accepted);
        QVERIFY(reloaded->issuers.at(0).keys.resolved.last().testKey);

        dialog.findChild<QPushButton*>(QStringLiteral("openInTokenLabButton"))->click();
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toString(), token);

        document.undoStack()->undo();
        QVERIFY(!document.policy().issuers.at(0).keys.testJwks.has_value());
        QVERIFY(!verifyAt(document.policy(), token, issuedAt() + 10).accepted);
        QVERIFY(!hasTestKeyFinding(document.policy()));
    }

    void withoutDocument_addKeyUnavailable()
    {
        MintTokenDialog dialog(uitest::sample());
        auto* addKey = dialog.findChild<QCheckBox*>(QStringLiteral("addTestKeyCheck"));
        QVERIFY(!addKey->isEnabled());
        QVERIFY(!addKey->isChecked());
    }

    void extraClaims_mergedWithoutDuplicates()
    {
        MintTokenDialog dialog(uitest::sample());
        dialog.setIssuedAt(issuedAt());
        dialog.findChild<QSpinBox*>(QStringLiteral("lifetimeSpin"))->setValue(120);
        dialog.findChild<QPlainTextEdit*>(QStringLiteral("extraClaimsEdit"))
            ->setPlainText(QStringLiteral("{\"scope\": \"payments:read\", \"sub\": \"carol\"}"));
        Result<QByteArray> payload = dialog.payloadJson();
        QVERIFY(payload.ok());
        Result<json::Value> parsed = json::parse(payload.value()); // strict: a duplicate would fail here
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->find("sub")->toQString(), QStringLiteral("carol"));
        QCOMPARE(parsed->find("scope")->toQString(), QStringLiteral("payments:read"));
        QCOMPARE(parsed->find("iat")->toInteger(), issuedAt());
        QCOMPARE(parsed->find("exp")->toInteger(), issuedAt() + 120);
    }

    void extraClaims_invalidJsonRefusedWithError()
    {
        MintTokenDialog dialog(uitest::sample());
        dialog.findChild<QPlainTextEdit*>(QStringLiteral("extraClaimsEdit"))->setPlainText(QStringLiteral("{\"scope\": "));
        Result<QString> token = dialog.mint();
        QVERIFY(!token.ok());
        QCOMPARE(token.error().code, QStringLiteral("ERR_JSON_SYNTAX"));
        auto* error = dialog.findChild<QLabel*>(QStringLiteral("mintErrorLabel"));
        QVERIFY(error->text().contains(QStringLiteral("Extra claims")));
        QVERIFY(dialog.token().isEmpty());

        dialog.findChild<QPlainTextEdit*>(QStringLiteral("extraClaimsEdit"))->setPlainText(QStringLiteral("[1, 2]"));
        token = dialog.mint();
        QVERIFY(!token.ok());
        QCOMPARE(token.error().code, QStringLiteral("ERR_MINT_EXTRA_NOT_OBJECT"));
    }

    void generatedKey_dialogSaysTokenIsRejectedUnlessKeyAdded()
    {
        PolicyDocument document;
        document.reset(uitest::sample(), {});
        MintTokenDialog dialog(document.policy());
        dialog.setDocument(&document);
        auto* note = dialog.findChild<QLabel*>(QStringLiteral("keyPinNote"));
        QVERIFY(note);
        QVERIFY2(note->text().contains(QStringLiteral("Unless \"Add this TEST KEY to issuer\" is ticked")), qPrintable(note->text()));
        QVERIFY(note->text().contains(QStringLiteral("not pin")));
        dialog.findChild<QCheckBox*>(QStringLiteral("addTestKeyCheck"))->setChecked(true);
        QVERIFY(note->text().contains(QStringLiteral("can verify")));
        dialog.findChild<QCheckBox*>(QStringLiteral("addTestKeyCheck"))->setChecked(false);
        // And it is true: the token is rejected at the key step.
        dialog.setIssuedAt(issuedAt());
        Result<QString> token = dialog.mint();
        QVERIFY(token.ok());
        const verify::Trace trace = verifyAt(document.policy(), *token, issuedAt() + 60);
        QVERIFY(!trace.accepted);
        QCOMPARE(trace.firstFailure()->id, verify::StepId::Key);
    }

    void privateKeyFile_notPinned_saidSoAndRejected()
    {
        MintTokenDialog dialog(uitest::sample()); // login pins login-2026-11, not this key
        dialog.setIssuedAt(issuedAt());
        QVERIFY(dialog.usePrivateKeyPem(testKeyFile("rsa2048-private.pem"), QStringLiteral("mine.pem")).ok());
        QVERIFY(dialog.usesKeyFile());
        QVERIFY(!dialog.signingKey()->publicKey().testKey);
        auto* note = dialog.findChild<QLabel*>(QStringLiteral("keyPinNote"));
        QVERIFY2(note->text().contains(QStringLiteral("does not pin this key")), qPrintable(note->text()));
        QVERIFY(!dialog.findChild<QLabel*>(QStringLiteral("testKeyMark"))->isVisibleTo(&dialog));
        Result<QString> token = dialog.mint();
        QVERIFY2(token.ok(), token.ok() ? "" : qPrintable(token.error().toString()));
        // Signed with the file's key, not a generated one.
        const keys::Key mine = testing::keyFromFile("rsa2048-public.pem");
        QCOMPARE(dialog.signingKey()->publicKey().thumbprint, mine.thumbprint);
        const verify::Trace trace = verifyAt(uitest::sample(), *token, issuedAt() + 60);
        QVERIFY(!trace.accepted);
        QCOMPARE(trace.firstFailure()->id, verify::StepId::Key);
    }

    void privateKeyFile_pinned_takesItsKidAndVerifies()
    {
        policy::Policy policy = uitest::sample();
        policy.issuers[0].keys.resolved.append(testing::keyFromFile("rsa2048-public.pem", QStringLiteral("login-own")));
        MintTokenDialog dialog(policy);
        dialog.setIssuedAt(issuedAt());
        QVERIFY(dialog.usePrivateKeyPem(testKeyFile("rsa2048-private.pem"), QStringLiteral("mine.pem")).ok());
        QCOMPARE(dialog.findChild<QLineEdit*>(QStringLiteral("kidEdit"))->text(), QStringLiteral("login-own"));
        QCOMPARE(dialog.findChild<QComboBox*>(QStringLiteral("algorithmCombo"))->currentText(), QStringLiteral("RS256"));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("keyPinNote"))->text().contains(QStringLiteral("is pinned")));
        Result<QString> token = dialog.mint();
        QVERIFY(token.ok());
        const verify::Trace trace = verifyAt(policy, *token, issuedAt() + 60);
        QVERIFY2(trace.accepted, qPrintable(trace.toText()));
    }

    void privateKeyFile_garbageRefusedWithError()
    {
        MintTokenDialog dialog(uitest::sample());
        QVERIFY(!dialog.usePrivateKeyPem("not a key", QStringLiteral("notes.txt")).ok());
        QVERIFY(!dialog.usesKeyFile());
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("mintErrorLabel"))->text().contains(QStringLiteral("notes.txt")));
        // A public key is not a signing key either.
        QVERIFY(!dialog.usePrivateKeyPem(testKeyFile("rsa2048-public.pem"), QStringLiteral("pub.pem")).ok());
    }

    void screenshot_renders1280x800()
    {
        QTemporaryDir temp;
        const QString dir = qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR") ? qEnvironmentVariable("JWB_SCREENSHOT_DIR")
                                                                             : temp.path();
        PolicyDocument document;
        document.reset(uitest::sample(), {});
        MintTokenDialog dialog(document.policy());
        dialog.setDocument(&document);
        dialog.setIssuedAt(issuedAt());
        dialog.findChild<QComboBox*>(QStringLiteral("issuerCombo"))->setCurrentText(QStringLiteral("https://auth.partner.example.net/"));
        dialog.findChild<QPlainTextEdit*>(QStringLiteral("extraClaimsEdit"))
            ->setPlainText(QStringLiteral("{\n  \"scope\": \"payments:read\"\n}"));
        dialog.findChild<QCheckBox*>(QStringLiteral("addTestKeyCheck"))->setChecked(true);
        QVERIFY(dialog.mint().ok());
        dialog.resize(1280, 800);
        dialog.show();
        QTest::qWait(50);
        const QPixmap shot = dialog.grab();
        QCOMPARE(shot.size() / shot.devicePixelRatio(), QSize(1280, 800));
        QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("mint.png"))));
    }
};

QTEST_MAIN(TestMintTokenDialog)
#include "tst_minttokendialog.moc"
