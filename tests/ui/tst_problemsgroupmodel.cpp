// SPDX-License-Identifier: Apache-2.0
// ProblemsGroupModel: consistent under QAbstractItemModelTester as findings change; one group per
// rule with its count, errors first; long lists of names collapsed to a bounded text; findings
// mapped both ways.
#include "UiTestSupport.h"
#include "models/PolicyDocument.h"
#include "models/ProblemsGroupModel.h"
#include "models/ProblemsModel.h"

#include <QAbstractItemModelTester>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace jwb;
using namespace jwb::ui;

namespace {
constexpr qint64 kNow = 1795000000; // 2026-11-18, fixed
}

class TestProblemsGroupModel final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PolicyDocument> m_doc;
    std::unique_ptr<ProblemsModel> m_findings;
    std::unique_ptr<ProblemsGroupModel> m_groups;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    int groupOf(const QString& rule) const
    {
        for (int g = 0; g < m_groups->rowCount(); ++g)
            if (m_groups->index(g, 0).data(ProblemsGroupModel::RuleRole).toString() == rule)
                return g;
        return -1;
    }

private slots:
    void init()
    {
        m_doc = std::make_unique<PolicyDocument>();
        m_doc->reset(uitest::sample(), {});
        m_findings = std::make_unique<ProblemsModel>(m_doc.get());
        m_findings->setClock([] { return kNow; });
        m_groups = std::make_unique<ProblemsGroupModel>(m_findings.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_groups.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_groups.reset();
        m_findings.reset();
        m_doc.reset();
    }

    void oneGroupPerRule_countsAddUp_errorsFirst()
    {
        // Three issuers without keys: one group of three.
        for (int i = 0; i < 3; ++i)
            QVERIFY(m_doc->addIssuer(QStringLiteral("https://new-%1.example.com/").arg(i), QStringLiteral("lab")).ok());
        m_findings->refresh();
        int total = 0;
        int previousSeverity = -1;
        for (int g = 0; g < m_groups->rowCount(); ++g) {
            const QModelIndex group = m_groups->index(g, 0);
            total += m_groups->rowCount(group);
            const int severity = group.data(ProblemsModel::SeverityRole).toInt();
            QVERIFY(severity >= previousSeverity);
            previousSeverity = severity;
            for (int i = 0; i < m_groups->rowCount(group); ++i)
                QCOMPARE(m_groups->index(i, 0, group).data(ProblemsGroupModel::RuleRole),
                         group.data(ProblemsGroupModel::RuleRole));
        }
        QCOMPARE(total, m_findings->rowCount());
        const int g = groupOf(QStringLiteral("issuer-no-keys"));
        QVERIFY(g >= 0);
        const QModelIndex group = m_groups->index(g, 0);
        QCOMPARE(m_groups->rowCount(group), 3);
        QCOMPARE(m_groups->index(g, ProblemsModel::RuleColumn).data().toString(), QStringLiteral("issuer-no-keys"));
        QVERIFY(m_groups->index(g, ProblemsModel::MessageColumn).data().toString().startsWith(QStringLiteral("3 finding")));
    }

    void manyNames_collapsedToAFewAndACount()
    {
        for (int i = 0; i < 40; ++i)
            QVERIFY(m_doc->addIssuer(QStringLiteral("https://t%1.example.com/").arg(i), QStringLiteral("lab")).ok());
        m_findings->refresh();
        const int g = groupOf(QStringLiteral("issuer-no-keys"));
        QVERIFY(g >= 0);
        const QString names = m_groups->groupNames(g);
        QVERIFY2(names.endsWith(QStringLiteral(" \u2026 and 37 more")), qPrintable(names));
        QCOMPARE(names.count(u','), ProblemsGroupModel::kNamesShown - 1);
        QVERIFY(names.size() < 200);
    }

    // The collapsed names are kept per group between repaints: a new set of findings names the new ones.
    void groupNames_followTheFindings()
    {
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://first.example.com/"), QStringLiteral("lab")).ok());
        m_findings->refresh();
        const int g = groupOf(QStringLiteral("issuer-no-keys"));
        QVERIFY(g >= 0);
        QCOMPARE(m_groups->groupNames(g), QStringLiteral("https://first.example.com/"));
        QCOMPARE(m_groups->groupNames(g), QStringLiteral("https://first.example.com/")); // asked again
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://second.example.com/"), QStringLiteral("lab")).ok());
        m_findings->refresh();
        const QString names = m_groups->groupNames(groupOf(QStringLiteral("issuer-no-keys")));
        QVERIFY2(names.contains(QStringLiteral("https://second.example.com/")), qPrintable(names));
        QVERIFY2(names.contains(QStringLiteral("https://first.example.com/")), qPrintable(names));
        QVERIFY(m_groups->index(groupOf(QStringLiteral("issuer-no-keys")), ProblemsModel::MessageColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("2 finding")));
    }

    void findings_mappedBothWays_andFollowLiveLint()
    {
        QVERIFY(m_doc->setAudienceAllowed(1, m_doc->audienceColumn(QStringLiteral("ledger-api")), true).ok());
        QTRY_VERIFY(!m_findings->isPending());
        for (int row = 0; row < m_findings->rowCount(); ++row) {
            const QModelIndex here = m_groups->indexOfFinding(m_findings->index(row, ProblemsModel::MessageColumn));
            QVERIFY(here.isValid());
            QCOMPARE(m_groups->findingRow(here), row);
            QCOMPARE(here.data().toString(), m_findings->finding(row).message);
            QCOMPARE(here.data(ProblemsModel::PathRole).toString(), m_findings->finding(row).path);
        }
        QVERIFY(groupOf(QStringLiteral("audience-cross-trust-domain")) >= 0);
        QCOMPARE(m_groups->findingRow(m_groups->index(0, 0)), -1); // a group row is no finding
        m_doc->undoStack()->undo();
        QTRY_COMPARE(groupOf(QStringLiteral("audience-cross-trust-domain")), -1);
    }
};

QTEST_MAIN(TestProblemsGroupModel)
#include "tst_problemsgroupmodel.moc"
