// SPDX-License-Identifier: Apache-2.0
// KeyListModel: one issuer's pinned keys with type, size or curve, algorithms and RFC 7638
// thumbprint; HMAC secrets masked unless revealed; follows the document through edits. An inline key's
// kid is editable (undoable, duplicates refused), pinned algorithms are marked, and the keys an active
// exception grants are listed with its id and expiry.
#include "UiTestSupport.h"
#include "models/KeyListModel.h"
#include "models/PolicyDocument.h"
#include "TestKeys.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace jwb;
using namespace jwb::ui;

class TestKeyListModel final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_fixture = std::make_unique<uitest::SampleModelFixture<KeyListModel>>();
        m_doc = m_fixture->document();
        m_model = m_fixture->model();
    }
    void cleanup() { m_fixture.reset(); }

    void noIssuer_empty()
    {
        QCOMPARE(m_model->rowCount(), 0);
        m_model->setIssuerRow(99);
        QCOMPARE(m_model->issuerRow(), -1);
    }

    void rsaKey_columns()
    {
        m_model->setIssuerRow(0);
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->index(0, KeyListModel::KidColumn).data().toString(), QStringLiteral("login-2026-11"));
        QCOMPARE(m_model->index(0, KeyListModel::TypeColumn).data().toString(), QStringLiteral("RSA"));
        QCOMPARE(m_model->index(0, KeyListModel::CurveOrSizeColumn).data().toString(), QStringLiteral("2048 bits"));
        QVERIFY(m_model->index(0, KeyListModel::AlgorithmsColumn).data().toString().contains(QStringLiteral("RS256")));
        const QString thumbprint = m_model->index(0, KeyListModel::ThumbprintColumn).data().toString();
        QCOMPARE(thumbprint, m_doc->policy().issuers.at(0).keys.resolved.at(0).thumbprint);
        QCOMPARE(thumbprint.size(), 43); // base64url of a SHA-256 digest
    }

    void ecKey_showsCurve()
    {
        m_model->setIssuerRow(1);
        QCOMPARE(m_model->index(0, KeyListModel::CurveOrSizeColumn).data().toString(), QStringLiteral("P-256"));
        QCOMPARE(m_model->index(0, KeyListModel::AlgorithmsColumn).data().toString(), QStringLiteral("ES256 \u2713"));
    }

    void hmacSecret_maskedUnlessRevealed()
    {
        Result<keys::Key> secret = keys::hmacKey(QByteArray(32, 'k'), QStringLiteral("hs-test"), QStringLiteral("test"));
        QVERIFY(secret.ok());
        m_model->setIssuerRow(0);
        QVERIFY(m_doc->importIssuerKeys(0, {secret.value()}, QStringLiteral("test")).ok());
        QCOMPARE(m_model->rowCount(), 2);
        const QModelIndex cell = m_model->index(1, KeyListModel::SecretColumn);
        const QString encoded = QString::fromLatin1(QByteArray(32, 'k').toBase64(QByteArray::Base64UrlEncoding
                                                                                  | QByteArray::OmitTrailingEquals));
        QVERIFY(!cell.data().toString().contains(encoded));
        QVERIFY(!cell.data().toString().isEmpty());
        m_model->setSecretsRevealed(true);
        QCOMPARE(cell.data().toString(), encoded);
        m_model->setSecretsRevealed(false);
        QVERIFY(!cell.data().toString().contains(encoded));
        // A public key has no secret to show.
        QCOMPARE(m_model->index(0, KeyListModel::SecretColumn).data().toString(), QStringLiteral("\u2014"));
    }

    void issuerRemovedBefore_rowFollows_selectedRemoved_empty()
    {
        m_model->setIssuerRow(1);
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://x.example/"), {}).ok());
        QVERIFY(m_doc->removeIssuer(0).ok());
        QCOMPARE(m_model->issuerRow(), 0);
        QCOMPARE(m_model->index(0, KeyListModel::KidColumn).data().toString(), QStringLiteral("partner-es256-1"));
        QVERIFY(m_doc->removeIssuer(0).ok());
        QCOMPARE(m_model->issuerRow(), -1);
        QCOMPARE(m_model->rowCount(), 0);
        m_doc->undoStack()->undo();
        QCOMPARE(m_model->rowCount(), 0); // the model does not guess which issuer to show again
    }

    void importedPemKey_noKid_kidEditableThroughUndoableCommand()
    {
        m_model->setIssuerRow(0);
        // A PEM public key carries no kid.
        QVERIFY(m_doc->importIssuerKeys(0, {testing::keyFromFile("rsa2048-public.pem")}, QStringLiteral("pem")).ok());
        QCOMPARE(m_model->rowCount(), 2);
        const QModelIndex kid = m_model->index(1, KeyListModel::KidColumn);
        QCOMPARE(kid.data().toString(), QStringLiteral("(no kid)"));
        QCOMPARE(kid.data(Qt::EditRole).toString(), QString());
        QVERIFY(kid.flags() & Qt::ItemIsEditable);
        QVERIFY(!(m_model->index(1, KeyListModel::TypeColumn).flags() & Qt::ItemIsEditable));
        const int steps = m_doc->undoStack()->count();

        QVERIFY(m_model->setData(kid, QStringLiteral("  login-pem-1 "), Qt::EditRole));
        QCOMPARE(m_model->index(1, KeyListModel::KidColumn).data().toString(), QStringLiteral("login-pem-1"));
        QCOMPARE(m_doc->policy().issuers.at(0).keys.resolved.at(1).kid, QStringLiteral("login-pem-1"));
        // Written into the inline JWK, so it is saved with the policy.
        const QJsonArray jwks = m_doc->policy().issuers.at(0).keys.jwks->value(QLatin1String("keys")).toArray();
        QCOMPARE(jwks.last().toObject().value(QLatin1String("kid")).toString(), QStringLiteral("login-pem-1"));
        QCOMPARE(m_doc->undoStack()->count(), steps + 1);
        QVERIFY(m_doc->undoStack()->undoText().contains(QStringLiteral("login-pem-1")));

        m_doc->undoStack()->undo();
        QCOMPARE(m_model->index(1, KeyListModel::KidColumn).data().toString(), QStringLiteral("(no kid)"));
        QVERIFY(!m_doc->policy().issuers.at(0).keys.jwks->value(QLatin1String("keys")).toArray().last().toObject().contains(
            QLatin1String("kid")));
    }

    void kidEdit_duplicateRefusedAndSaid()
    {
        m_model->setIssuerRow(0);
        QVERIFY(m_doc->importIssuerKeys(0, {testing::keyFromFile("rsa2048-public.pem")}, QStringLiteral("pem")).ok());
        QSignalSpy refused(m_doc, &PolicyDocument::editRefused);
        const policy::Policy before = m_doc->policy();
        QVERIFY(!m_model->setData(m_model->index(1, KeyListModel::KidColumn), QStringLiteral("login-2026-11")));
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused.first().first().toString().contains(QStringLiteral("login-2026-11")));
        QCOMPARE(m_doc->policy(), before);
    }

    void algorithmsColumn_marksWhatTheIssuerPins()
    {
        m_model->setIssuerRow(0); // pins RS256 only (defaults)
        QCOMPARE(m_model->index(0, KeyListModel::AlgorithmsColumn).data().toString(), QStringLiteral("RS256 \u2713"));
        // A PEM key without a JWK alg serves every RSA algorithm: only the pinned one is marked.
        QVERIFY(m_doc->importIssuerKeys(0, {testing::keyFromFile("rsa2048-public.pem", QStringLiteral("pem"))},
                                        QStringLiteral("pem")).ok());
        const QModelIndex algorithms = m_model->index(1, KeyListModel::AlgorithmsColumn);
        QVERIFY2(algorithms.data().toString().contains(QStringLiteral("RS256 \u2713")), qPrintable(algorithms.data().toString()));
        QVERIFY(algorithms.data().toString().contains(QStringLiteral("RS384")));
        QVERIFY(!algorithms.data().toString().contains(QStringLiteral("RS384 \u2713")));
        QCOMPARE(algorithms.data(KeyListModel::PinnedAlgorithmsRole).toStringList(), QStringList{QStringLiteral("RS256")});
        QVERIFY(!algorithms.data(Qt::ForegroundRole).isValid());
        // An EC key under an RSA pin serves nothing: no mark, and the column says so in red.
        QVERIFY(m_doc->importIssuerKeys(0, {testing::keyFromFile("ec-p256-public.pem", QStringLiteral("ec"))},
                                        QStringLiteral("pem")).ok());
        const QModelIndex ec = m_model->index(2, KeyListModel::AlgorithmsColumn);
        QVERIFY(!ec.data().toString().contains(QStringLiteral("\u2713")));
        QVERIFY(ec.data(Qt::ForegroundRole).isValid());
    }

    void activeExceptionKeys_listedWithIdAndExpiry_expiredOnesNot()
    {
        policy::Policy p = uitest::sample();
        policy::PolicyException e;
        e.id = QStringLiteral("login-legacy-key");
        e.owner = QStringLiteral("iam@example.com");
        e.reason = QStringLiteral("old client");
        e.issuer = p.issuers.at(0).issuer;
        e.expires = QDateTime(QDate(2099, 1, 1), QTime(0, 0), Qt::UTC);
        e.expiresIsDate = true;
        policy::KeySources extra;
        extra.resolved = {testing::keyFromFile("rsa2048-cert.pem", QStringLiteral("legacy"))};
        e.allow.keys = extra;
        e.allow.algorithms = QStringList{QStringLiteral("PS256")};
        p.exceptions.append(e);
        m_doc->reset(p, {});
        m_model->setIssuerRow(0);
        QCOMPARE(m_model->rowCount(), 2);
        const QModelIndex source = m_model->index(1, KeyListModel::SourceColumn);
        QCOMPARE(source.data(KeyListModel::ExceptionRole).toString(), QStringLiteral("login-legacy-key"));
        QCOMPARE(source.data().toString(), QStringLiteral("exception login-legacy-key, until 2098-12-31"));
        QVERIFY(source.data(Qt::BackgroundRole).isValid());
        QVERIFY(!(m_model->index(1, KeyListModel::KidColumn).flags() & Qt::ItemIsEditable));
        // The exception's algorithm counts as pinned while it is active.
        QVERIFY(m_model->index(1, KeyListModel::AlgorithmsColumn).data().toString().contains(QStringLiteral("PS256 \u2713")));
        // Past its expiry the key is gone from the list.
        m_model->setInstant(QDateTime(QDate(2099, 1, 2), QTime(0, 0), Qt::UTC));
        QCOMPARE(m_model->rowCount(), 1);
    }

private:
    std::unique_ptr<uitest::SampleModelFixture<KeyListModel>> m_fixture;
    PolicyDocument* m_doc = nullptr;
    KeyListModel* m_model = nullptr;
};

QTEST_MAIN(TestKeyListModel)
#include "tst_keylistmodel.moc"
