// SPDX-License-Identifier: Apache-2.0
// IssuerAudienceMatrixModel: consistent under QAbstractItemModelTester through every kind of edit,
// reads the document (no copy), flags audiences shared across trust domains.
#include "UiTestSupport.h"
#include "models/IssuerAudienceMatrixModel.h"
#include "models/PolicyDocument.h"

#include <QIcon>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace jwb;
using namespace jwb::ui;

class TestIssuerAudienceMatrixModel final : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_fixture = std::make_unique<uitest::SampleModelFixture<IssuerAudienceMatrixModel>>();
        m_doc = m_fixture->document();
        m_model = m_fixture->model();
    }
    void cleanup() { m_fixture.reset(); }

    void shape_issuersAsRowsAudiencesAsColumns()
    {
        QCOMPARE(m_model->rowCount(), 3);
        QCOMPARE(m_model->columnCount(), IssuerAudienceMatrixModel::FirstAudienceColumn + 4);
        QCOMPARE(m_model->index(0, 0).data().toString(), QStringLiteral("https://login.example.com/"));
        QCOMPARE(m_model->index(1, 1).data().toString(), QStringLiteral("partners"));
        QCOMPARE(m_model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("payments-api"));
        QCOMPARE(m_model->index(0, 2).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(m_model->index(1, 2).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QVERIFY(m_model->flags(m_model->index(0, 2)) & Qt::ItemIsUserCheckable);
        QVERIFY(m_model->flags(m_model->index(0, 0)) & Qt::ItemIsEditable);
    }

    void setCheckState_goesThroughDocument_undoRestores()
    {
        QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
        const QModelIndex cell = m_model->index(1, 3); // partner x ledger-api
        QVERIFY(m_model->setData(cell, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(changed.count() > 0);
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(m_doc->policy().issuers.at(1).audiences.contains(QStringLiteral("ledger-api")));
        m_doc->undoStack()->undo();
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    }

    void sharedAcrossTrustDomains_flaggedWithIconTooltipAndTint()
    {
        const int ledger = 3;
        QVERIFY(!m_model->isSharedAcrossDomains(ledger));
        QVERIFY(m_model->headerData(ledger, Qt::Horizontal, Qt::DecorationRole).isNull());
        QVERIFY(m_model->setData(m_model->index(1, ledger), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(m_model->isSharedAcrossDomains(ledger));
        QVERIFY(!m_model->headerData(ledger, Qt::Horizontal, Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(m_model->headerData(ledger, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("partners")));
        QVERIFY(m_model->headerData(ledger, Qt::Horizontal, Qt::BackgroundRole).isValid());
        QVERIFY(m_model->index(0, ledger).data(Qt::BackgroundRole).isValid());
        // Moving the partner issuer into the workforce domain clears the flag.
        QVERIFY(m_model->setData(m_model->index(1, IssuerAudienceMatrixModel::TrustDomainColumn), QStringLiteral("workforce")));
        QVERIFY(!m_model->isSharedAcrossDomains(ledger));
    }

    void renameIssuerInPlace_andRefusedRenameReturnsFalse()
    {
        QVERIFY(m_model->setData(m_model->index(1, 0), QStringLiteral("https://auth.partner.example.org/")));
        QCOMPARE(m_doc->policy().issuers.at(1).issuer, QStringLiteral("https://auth.partner.example.org/"));
        QVERIFY(!m_model->setData(m_model->index(1, 0), QStringLiteral("https://login.example.com/")));
    }

    void addRemoveIssuerAndAudience_rowsAndColumnsNotified()
    {
        QSignalSpy rowsInserted(m_model, &QAbstractItemModel::rowsInserted);
        QSignalSpy columnsInserted(m_model, &QAbstractItemModel::columnsInserted);
        QSignalSpy columnsRemoved(m_model, &QAbstractItemModel::columnsRemoved);
        QVERIFY(m_doc->addIssuer(QStringLiteral("https://new.example.com/"), QStringLiteral("lab")).ok());
        QCOMPARE(rowsInserted.count(), 1);
        QCOMPARE(m_model->rowCount(), 4);
        QVERIFY(m_doc->addAudience(QStringLiteral("reports-api")).ok());
        QCOMPARE(columnsInserted.count(), 1);
        const int reports = m_model->columnCount() - 1;
        QVERIFY(m_model->setHeaderData(reports, Qt::Horizontal, QStringLiteral("reporting-api")));
        QCOMPARE(m_model->headerData(reports, Qt::Horizontal).toString(), QStringLiteral("reporting-api"));
        QVERIFY(m_model->setData(m_model->index(3, reports), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(m_doc->removeAudience(IssuerAudienceMatrixModel::audienceIndex(reports)).ok());
        QCOMPARE(columnsRemoved.count(), 1);
        QVERIFY(m_doc->removeIssuer(3).ok());
        QCOMPARE(m_model->rowCount(), 3);
        // Undo everything back to the sample, through the tester.
        while (m_doc->undoStack()->canUndo())
            m_doc->undoStack()->undo();
        QCOMPARE(m_doc->policy(), uitest::sample());
        QCOMPARE(m_model->rowCount(), 3);
    }

    // Renaming an audience changes every issuer listing it in one change: one dataChanged over a run
    // of adjacent rows (the whole width), none per issuer, besides the renamed column's own.
    void renameAudience_adjacentIssuerRowsAnnouncedAsOneRange()
    {
        const QString ledger = QStringLiteral("ledger-api");
        const int column = IssuerAudienceMatrixModel::FirstAudienceColumn + m_doc->audienceColumn(ledger);
        for (int row = 0; row < m_model->rowCount(); ++row)
            if (m_model->index(row, column).data(Qt::CheckStateRole).toInt() != Qt::Checked)
                QVERIFY(m_model->setData(m_model->index(row, column), Qt::Checked, Qt::CheckStateRole));
        QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
        QVERIFY(m_model->setHeaderData(column, Qt::Horizontal, QStringLiteral("ledger")));
        QList<std::pair<int, int>> rowRanges;
        for (const QList<QVariant>& args : std::as_const(changed)) {
            const auto topLeft = args.at(0).value<QModelIndex>();
            const auto bottomRight = args.at(1).value<QModelIndex>();
            if (topLeft.column() == 0 && bottomRight.column() == m_model->columnCount() - 1)
                rowRanges.append({topLeft.row(), bottomRight.row()});
        }
        QCOMPARE(rowRanges, (QList<std::pair<int, int>>{{0, m_model->rowCount() - 1}}));
        for (int row = 0; row < m_model->rowCount(); ++row)
            QCOMPARE(m_model->index(row, column).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    }

    void resetToNewPolicy_emptyMatrix()
    {
        m_doc->newPolicy();
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->columnCount(), IssuerAudienceMatrixModel::FirstAudienceColumn);
    }

private:
    std::unique_ptr<uitest::SampleModelFixture<IssuerAudienceMatrixModel>> m_fixture;
    PolicyDocument* m_doc = nullptr;
    IssuerAudienceMatrixModel* m_model = nullptr;
};

QTEST_MAIN(TestIssuerAudienceMatrixModel)
#include "tst_issueraudiencematrixmodel.moc"
