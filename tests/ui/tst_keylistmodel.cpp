// SPDX-License-Identifier: Apache-2.0
// KeyListModel: one issuer's pinned keys with type, size or curve, algorithms and RFC 7638
// thumbprint; HMAC secrets masked unless revealed; follows the document through edits.
#include "UiTestSupport.h"
#include "models/KeyListModel.h"
#include "models/PolicyDocument.h"

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
        QCOMPARE(m_model->index(0, KeyListModel::AlgorithmsColumn).data().toString(), QStringLiteral("ES256"));
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

private:
    std::unique_ptr<uitest::SampleModelFixture<KeyListModel>> m_fixture;
    PolicyDocument* m_doc = nullptr;
    KeyListModel* m_model = nullptr;
};

QTEST_MAIN(TestKeyListModel)
#include "tst_keylistmodel.moc"
