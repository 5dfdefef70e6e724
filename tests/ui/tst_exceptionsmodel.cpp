// SPDX-License-Identifier: Apache-2.0
// ExceptionsModel: owner, reason, expiry from the document; expired and expiring-within-14-days
// marked against a fixed clock; in-place edits are undoable.
#include "UiTestSupport.h"
#include "models/ExceptionsModel.h"
#include "models/PolicyDocument.h"

#include <QTest>
#include <QUndoStack>

using namespace jwb;
using namespace jwb::ui;

namespace {
// The sample's exception runs to the end of 2027-03-31 (UTC).
QDateTime at(const char* iso) { return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate); }
} // namespace

class TestExceptionsModel final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_fixture = std::make_unique<uitest::SampleModelFixture<ExceptionsModel>>();
        m_doc = m_fixture->document();
        m_model = m_fixture->model();
    }
    void cleanup() { m_fixture.reset(); }

    void columns_showOwnerReasonAndDateAsWritten()
    {
        QCOMPARE(m_model->rowCount(), 1);
        QCOMPARE(m_model->index(0, ExceptionsModel::OwnerColumn).data().toString(), QStringLiteral("billing-team@example.com"));
        QVERIFY(m_model->index(0, ExceptionsModel::ReasonColumn).data().toString().contains(QStringLiteral("SEC-142")));
        QCOMPARE(m_model->index(0, ExceptionsModel::ExpiresColumn).data().toString(), QStringLiteral("2027-03-31"));
    }

    void state_data()
    {
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<int>("state");
        QTest::newRow("months before") << at("2026-11-22T12:00:00Z") << int(ExceptionsModel::State::Active);
        QTest::newRow("15 days before") << at("2027-03-17T00:00:00Z") << int(ExceptionsModel::State::Active);
        QTest::newRow("13 days before") << at("2027-03-19T00:00:00Z") << int(ExceptionsModel::State::Expiring);
        QTest::newRow("last second") << at("2027-03-31T23:59:59Z") << int(ExceptionsModel::State::Expiring);
        QTest::newRow("next day") << at("2027-04-01T00:00:00Z") << int(ExceptionsModel::State::Expired);
    }
    void state()
    {
        QFETCH(QDateTime, now);
        QFETCH(int, state);
        m_model->setClock([now] { return now; });
        QCOMPARE(int(m_model->stateOf(0)), state);
        QCOMPARE(m_model->index(0, 0).data(ExceptionsModel::StateRole).toInt(), state);
        const QVariant tint = m_model->index(0, 0).data(Qt::BackgroundRole);
        QCOMPARE(tint.isValid(), state != int(ExceptionsModel::State::Active));
        const QString status = m_model->index(0, ExceptionsModel::StatusColumn).data().toString();
        if (state == int(ExceptionsModel::State::Expired))
            QCOMPARE(status, QStringLiteral("Expired"));
        else if (state == int(ExceptionsModel::State::Expiring))
            QVERIFY(status.startsWith(QStringLiteral("Expires in")));
        else
            QCOMPARE(status, QStringLiteral("Active"));
    }

    void editOwnerInPlace_undoable()
    {
        const QModelIndex owner = m_model->index(0, ExceptionsModel::OwnerColumn);
        QVERIFY(m_model->flags(owner) & Qt::ItemIsEditable);
        QVERIFY(!(m_model->flags(m_model->index(0, ExceptionsModel::IdColumn)) & Qt::ItemIsEditable));
        QVERIFY(m_model->setData(owner, QStringLiteral("payments-team@example.com")));
        QCOMPARE(m_doc->policy().exceptions.at(0).owner, QStringLiteral("payments-team@example.com"));
        m_doc->undoStack()->undo();
        QCOMPARE(owner.data().toString(), QStringLiteral("billing-team@example.com"));
    }

    void addAndRemove_rowsNotified()
    {
        policy::PolicyException e;
        e.id = m_doc->unusedExceptionId();
        e.issuer = QStringLiteral("https://login.example.com/");
        e.expires = at("2027-01-01T00:00:00Z");
        QVERIFY(m_doc->addException(e).ok());
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->index(1, 0).data().toString(), e.id);
        QVERIFY(m_doc->removeException(0).ok());
        QCOMPARE(m_model->rowCount(), 1);
        m_doc->undoStack()->undo();
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy(), uitest::sample());
    }

private:
    std::unique_ptr<uitest::SampleModelFixture<ExceptionsModel>> m_fixture;
    PolicyDocument* m_doc = nullptr;
    ExceptionsModel* m_model = nullptr;
};

QTEST_MAIN(TestExceptionsModel)
#include "tst_exceptionsmodel.moc"
