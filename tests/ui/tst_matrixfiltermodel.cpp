// SPDX-License-Identifier: Apache-2.0
// MatrixFilterModel: consistent under QAbstractItemModelTester through filters, grouping and every
// kind of edit; the filter text narrows rows by issuer or trust domain and columns by audience;
// "only ticked" and "only flagged" keep what they say; grouping orders rows by trust domain and
// marks each group's first row; edits through it reach the document.
#include "UiTestSupport.h"
#include "models/IssuerAudienceMatrixModel.h"
#include "models/MatrixFilterModel.h"
#include "models/PolicyDocument.h"

#include <QAbstractItemModelTester>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace jwb;
using namespace jwb::ui;

class TestMatrixFilterModel final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PolicyDocument> m_doc;
    std::unique_ptr<IssuerAudienceMatrixModel> m_source;
    std::unique_ptr<MatrixFilterModel> m_filter;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QStringList shownIssuers() const
    {
        QStringList out;
        for (int r = 0; r < m_filter->rowCount(); ++r)
            out.append(m_filter->index(r, IssuerAudienceMatrixModel::IssuerColumn).data().toString());
        return out;
    }
    QStringList shownAudiences() const
    {
        QStringList out;
        for (int c = IssuerAudienceMatrixModel::FirstAudienceColumn; c < m_filter->columnCount(); ++c)
            out.append(m_filter->headerData(c, Qt::Horizontal).toString());
        return out;
    }

    static inline const QString kLogin = QStringLiteral("https://login.example.com/");
    static inline const QString kPartner = QStringLiteral("https://auth.partner.example.net/");
    static inline const QString kBilling = QStringLiteral("https://billing.internal.example.com/");

private slots:
    void init()
    {
        m_doc = std::make_unique<PolicyDocument>();
        m_doc->reset(uitest::sample(), {});
        m_source = std::make_unique<IssuerAudienceMatrixModel>(m_doc.get());
        m_filter = std::make_unique<MatrixFilterModel>(m_doc.get());
        m_filter->setSourceModel(m_source.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_filter.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_filter.reset();
        m_source.reset();
        m_doc.reset();
    }

    void noFilter_mapsEveryCellToItself()
    {
        QCOMPARE(m_filter->rowCount(), m_source->rowCount());
        QCOMPARE(m_filter->columnCount(), m_source->columnCount());
        for (int r = 0; r < m_source->rowCount(); ++r)
            for (int c = 0; c < m_source->columnCount(); ++c)
                QCOMPARE(m_filter->mapToSource(m_filter->index(r, c)), m_source->index(r, c));
        QVERIFY(!m_filter->isFiltering());
    }

    void filterText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("issuers");
        QTest::addColumn<QStringList>("audiences");
        const QStringList all{QStringLiteral("payments-api"), QStringLiteral("ledger-api"), QStringLiteral("partner-api"),
                              QStringLiteral("billing-api")};
        QTest::newRow("trust domain: rows only") << QStringLiteral("workforce") << QStringList{kLogin, kBilling} << all;
        QTest::newRow("issuer, any case") << QStringLiteral("PARTNER.example") << QStringList{kPartner} << all;
        QTest::newRow("audience: its columns and the issuers ticking it")
            << QStringLiteral("ledger") << QStringList{kLogin, kBilling} << QStringList{QStringLiteral("ledger-api")};
        QTest::newRow("nothing matches") << QStringLiteral("no-such-thing") << QStringList{} << all;
        QTest::newRow("blank is no filter") << QStringLiteral("   ") << QStringList{kLogin, kPartner, kBilling} << all;
    }
    void filterText()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, issuers);
        QFETCH(QStringList, audiences);
        m_filter->setFilterText(text);
        QCOMPARE(shownIssuers(), issuers);
        QCOMPARE(shownAudiences(), audiences);
        m_filter->clearFilters();
        QCOMPARE(m_filter->rowCount(), 3);
        QCOMPARE(m_filter->columnCount(), m_source->columnCount());
    }

    void onlyTicked_keepsColumnsAShownIssuerTicks_andFollowsTicks()
    {
        m_filter->setFilterText(QStringLiteral("partners"));
        m_filter->setOnlyTicked(true);
        QCOMPARE(shownIssuers(), QStringList{kPartner});
        QCOMPARE(shownAudiences(), QStringList{QStringLiteral("partner-api")});
        // Ticking billing-api for the partner (through the document) brings that column in.
        QVERIFY(m_doc->setAudienceAllowed(1, m_doc->audienceColumn(QStringLiteral("billing-api")), true).ok());
        QTRY_COMPARE(shownAudiences(), (QStringList{QStringLiteral("partner-api"), QStringLiteral("billing-api")}));
        m_doc->undoStack()->undo();
        QTRY_COMPARE(shownAudiences(), QStringList{QStringLiteral("partner-api")});
    }

    void onlyFlagged_keepsSharedAudiencesAndTheirIssuers()
    {
        m_filter->setOnlyFlagged(true);
        QCOMPARE(m_filter->rowCount(), 0); // the sample shares nothing across domains
        QCOMPARE(shownAudiences(), QStringList{});
        QVERIFY(m_doc->setAudienceAllowed(1, m_doc->audienceColumn(QStringLiteral("ledger-api")), true).ok());
        QTRY_COMPARE(shownAudiences(), QStringList{QStringLiteral("ledger-api")});
        QCOMPARE(shownIssuers(), (QStringList{kLogin, kPartner, kBilling}));
        const QModelIndex cell = m_filter->index(1, IssuerAudienceMatrixModel::FirstAudienceColumn);
        QVERIFY(cell.data(IssuerAudienceMatrixModel::FlaggedRole).toBool());
    }

    void groupByTrustDomain_ordersRowsAndMarksGroupStarts()
    {
        m_filter->setGroupByTrustDomain(true);
        QCOMPARE(shownIssuers(), (QStringList{kPartner, kLogin, kBilling})); // partners < workforce, policy order within
        const auto start = [this](int row) {
            return m_filter->index(row, IssuerAudienceMatrixModel::TrustDomainColumn)
                .data(MatrixFilterModel::GroupStartRole)
                .toBool();
        };
        QVERIFY(start(0));
        QVERIFY(start(1));
        QVERIFY(!start(2));
        QCOMPARE(m_filter->index(1, IssuerAudienceMatrixModel::TrustDomainColumn).data().toString(),
                 QStringLiteral("workforce"));
        // The edit role still holds the value itself, for the in-place editor.
        QCOMPARE(m_filter->index(2, IssuerAudienceMatrixModel::TrustDomainColumn).data(Qt::EditRole).toString(),
                 QStringLiteral("workforce"));
        // A trust domain edit moves the row to its new group.
        QVERIFY(m_doc->setIssuerTrustDomain(2, QStringLiteral("billing")).ok());
        QCOMPARE(shownIssuers(), (QStringList{kBilling, kPartner, kLogin}));
        m_filter->setGroupByTrustDomain(false);
        QCOMPARE(shownIssuers(), (QStringList{kLogin, kPartner, kBilling}));
    }

    void editsThroughTheFilter_reachTheDocument_andStructureChangesStayConsistent()
    {
        m_filter->setFilterText(QStringLiteral("workforce"));
        m_filter->setGroupByTrustDomain(true);
        const QModelIndex cell = m_filter->index(1, IssuerAudienceMatrixModel::FirstAudienceColumn); // billing x payments-api
        QCOMPARE(m_filter->mapToSource(cell).row(), 2);
        QVERIFY(m_filter->setData(cell, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(m_doc->policy().issuers.at(2).audiences.contains(QStringLiteral("payments-api")));
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://new.example.com/"), QStringLiteral("workforce")).ok());
        QCOMPARE(m_filter->rowCount(), 3);
        QVERIFY(m_doc->addAudience(QStringLiteral("new-api")).ok());
        QVERIFY(shownAudiences().contains(QStringLiteral("new-api")));
        QVERIFY(m_doc->renameAudience(m_doc->audienceColumn(QStringLiteral("new-api")), QStringLiteral("renamed-api")).ok());
        QVERIFY(shownAudiences().contains(QStringLiteral("renamed-api")));
        QVERIFY(m_doc->removeIssuer(0).ok());
        QCOMPARE(m_filter->rowCount(), 2);
        while (m_doc->undoStack()->canUndo())
            m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy(), uitest::sample());
        QCOMPARE(shownIssuers(), (QStringList{kLogin, kBilling}));
        m_doc->reset(uitest::sample(), {});
        QCOMPARE(m_filter->rowCount(), 2);
    }
};

QTEST_MAIN(TestMatrixFilterModel)
#include "tst_matrixfiltermodel.moc"
