// SPDX-License-Identifier: Apache-2.0
// ProblemsModel: the lint findings of the document, recomputed live as the policy changes.
#include "UiTestSupport.h"
#include "models/PolicyDocument.h"
#include "models/ProblemsModel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace jwb;
using namespace jwb::ui;

namespace {
constexpr qint64 kNow = 1795000000; // 2026-11-18, fixed
bool hasRule(const ProblemsModel& model, const QString& rule, QString* path = nullptr)
{
    for (int i = 0; i < model.rowCount(); ++i)
        if (model.finding(i).ruleId == rule) {
            if (path)
                *path = model.index(i, 0).data(ProblemsModel::PathRole).toString();
            return true;
        }
    return false;
}
} // namespace

class TestProblemsModel final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_doc = std::make_unique<PolicyDocument>();
        m_doc->reset(uitest::sample(), {});
        m_model = std::make_unique<ProblemsModel>(m_doc.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->setClock([] { return kNow; });
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_doc.reset();
    }

    void findingsMatchLint()
    {
        const QList<lint::Finding> expected = lint::lintPolicy(m_doc->policy(), kNow);
        QCOMPARE(m_model->rowCount(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            QCOMPARE(m_model->finding(i).ruleId, expected.at(i).ruleId);
            QCOMPARE(m_model->index(i, ProblemsModel::RuleColumn).data().toString(), expected.at(i).ruleId);
            QCOMPARE(m_model->index(i, ProblemsModel::SeverityColumn).data().toString(),
                     lint::severityName(expected.at(i).severity));
        }
    }

    void crossDomainAudience_appearsLive_andGoesAwayOnUndo()
    {
        QVERIFY(!hasRule(*m_model, QStringLiteral("audience-cross-trust-domain")));
        const int ledger = static_cast<int>(m_doc->audiences().indexOf(QStringLiteral("ledger-api")));
        QVERIFY(m_doc->setAudienceAllowed(1, ledger, true).ok());
        QTRY_VERIFY(hasRule(*m_model, QStringLiteral("audience-cross-trust-domain")));
        m_doc->undoStack()->undo();
        QTRY_VERIFY(!hasRule(*m_model, QStringLiteral("audience-cross-trust-domain")));
    }

    void editsLintOnAWorker_onlyTheLatestPolicysFindingsAreShown()
    {
        const QList<lint::Finding> before = lint::lintPolicy(m_doc->policy(), kNow);
        // The edit returns before lint runs: the findings shown are still the old ones, marked pending.
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://new.example.com/"), QStringLiteral("lab")).ok());
        QVERIFY(m_model->isPending());
        QCOMPARE(m_model->rowCount(), before.size());
        // A second edit before the first run reports: that run's result is for an older policy.
        const int ledger = m_doc->audienceColumn(QStringLiteral("ledger-api"));
        QVERIFY(m_doc->setAudienceAllowed(1, ledger, true).ok());
        QTRY_VERIFY(!m_model->isPending());
        const QList<lint::Finding> expected = lint::lintPolicy(m_doc->policy(), kNow);
        QCOMPARE(m_model->rowCount(), expected.size());
        for (int i = 0; i < expected.size(); ++i)
            QCOMPARE(m_model->finding(i).message, expected.at(i).message);
        QVERIFY(hasRule(*m_model, QStringLiteral("issuer-no-keys")));
        QVERIFY(hasRule(*m_model, QStringLiteral("audience-cross-trust-domain")));
    }

    // Most edits of a large policy leave its findings as they were: then the rows stay (no reset: the
    // open groups, the selection and the scroll position of the panel are kept), and the run is still
    // announced, so the panel knows it is current.
    void editWithTheSameFindings_noReset_stillAnnounced()
    {
        const QList<lint::Finding> before = lint::lintPolicy(m_doc->policy(), kNow);
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy announced(m_model.get(), &ProblemsModel::findingsChanged);
        QVERIFY(m_doc->setName(QStringLiteral("renamed-sample")).ok()); // no rule looks at the name
        QTRY_COMPARE(announced.count(), 1);
        QVERIFY(!m_model->isPending());
        QCOMPARE(resets.count(), 0);
        QCOMPARE(m_model->rowCount(), before.size());
        // A change of the findings still resets the model.
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://new.example.com/"), QStringLiteral("lab")).ok());
        QTRY_COMPARE(announced.count(), 2);
        QCOMPARE(resets.count(), 1);
        QVERIFY(hasRule(*m_model, QStringLiteral("issuer-no-keys")));
    }

    void dangerousHeaderAllowed_findingPointsAtDefaults()
    {
        policy::Rules rules = m_doc->policy().defaults;
        rules.allowedHeaders->append(QStringLiteral("jku"));
        QVERIFY(m_doc->setDefaults(rules, QStringLiteral("headers"), {}).ok());
        QString path;
        QTRY_VERIFY(hasRule(*m_model, QStringLiteral("header-key-selecting-allowed"), &path));
        QVERIFY2(path.startsWith(QStringLiteral("defaults")), qPrintable(path));
    }

    void newIssuerWithoutKeys_reported()
    {
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://new.example.com/"), QStringLiteral("lab")).ok());
        QString path;
        QTRY_VERIFY(hasRule(*m_model, QStringLiteral("issuer-no-keys"), &path));
        QVERIFY2(path.startsWith(QStringLiteral("issuers[3]")), qPrintable(path));
    }

    // Line numbers point into the file: shown while the policy is as loaded or saved, hidden once it is
    // edited (they would point at the wrong lines), back on undo, and renumbered from the saved text.
    void lineNumbers_onlyWhileTheyMatchTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("weak.yaml"));
        QVERIFY(QFile::copy(QStringLiteral(JWB_SOURCE_DIR "/resources/policies/weak.yaml"), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(m_doc->open(path).ok());
        const QString field = QStringLiteral("defaults.clock_skew_seconds");
        auto location = [this, &field] {
            for (int i = 0; i < m_model->rowCount(); ++i) {
                if (m_model->finding(i).path == field)
                    return m_model->index(i, ProblemsModel::LocationColumn).data().toString();
            }
            return QString();
        };
        auto lineText = [&path](int line) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return QByteArray();
            const QList<QByteArray> lines = f.readAll().split('\n');
            return line >= 1 && line <= lines.size() ? lines.at(line - 1) : QByteArray();
        };
        QTRY_VERIFY(location().startsWith(field + QStringLiteral(" (line ")));
        const int loadedLine = m_doc->policy().sourceLines.value(field);
        QVERIFY(lineText(loadedLine).contains("clock_skew_seconds"));
        QCOMPARE(location(), QStringLiteral("%1 (line %2)").arg(field).arg(loadedLine));

        QVERIFY(m_doc->setName(QStringLiteral("weak-demo-2")).ok());
        QTRY_COMPARE(location(), field);
        m_doc->undoStack()->undo();
        QTRY_COMPARE(location(), QStringLiteral("%1 (line %2)").arg(field).arg(loadedLine));

        QVERIFY(m_doc->setName(QStringLiteral("weak-demo-2")).ok());
        QVERIFY(m_doc->save().ok());
        const int savedLine = m_doc->policy().sourceLines.value(field);
        QVERIFY(savedLine != loadedLine); // the saved file has no header comment
        QVERIFY(lineText(savedLine).contains("clock_skew_seconds"));
        QTRY_COMPARE(location(), QStringLiteral("%1 (line %2)").arg(field).arg(savedLine));
    }

private:
    std::unique_ptr<PolicyDocument> m_doc;
    std::unique_ptr<ProblemsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TestProblemsModel)
#include "tst_problemsmodel.moc"
