// SPDX-License-Identifier: Apache-2.0
// MatrixEditor at the keyboard and at scale: Tab and Shift+Tab leave the matrix while arrows move
// within it, Ctrl+PageDown never moves the row, the current cell is drawn apart from the selection,
// the frozen columns never take focus; the filter box and toggles narrow the view and selecting a
// hidden issuer clears them; the shared-audience banner stays bounded; the overview navigates.
#include "UiTestSupport.h"
#include "editors/MatrixEditor.h"
#include "models/IssuerAudienceMatrixModel.h"
#include "models/MatrixFilterModel.h"
#include "models/PolicyDocument.h"
#include "widgets/FrozenTableView.h"
#include "widgets/MatrixOverview.h"

#include <QCheckBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QVBoxLayout>

#include <memory>

using namespace jwb;
using namespace jwb::ui;

class TestMatrixEditor final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PolicyDocument> m_doc;
    std::unique_ptr<QWidget> m_window;
    MatrixEditor* m_editor = nullptr;
    QLineEdit* m_before = nullptr; // a field before the matrix in the chain, and one after it
    QLineEdit* m_after = nullptr;

    QTableView* view() const { return m_editor->view(); }

private slots:
    void init()
    {
        m_doc = std::make_unique<PolicyDocument>();
        m_doc->reset(uitest::sample(), {});
        m_window = std::make_unique<QWidget>();
        auto* layout = new QVBoxLayout(m_window.get());
        m_before = new QLineEdit(m_window.get());
        m_before->setObjectName(QStringLiteral("before"));
        layout->addWidget(m_before);
        m_editor = new MatrixEditor(m_doc.get(), m_window.get());
        layout->addWidget(m_editor);
        m_after = new QLineEdit(m_window.get());
        m_after->setObjectName(QStringLiteral("after"));
        layout->addWidget(m_after);
        m_window->resize(1000, 600);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }
    void cleanup()
    {
        m_window.reset();
        m_doc.reset();
    }

    void tab_leavesTheMatrix_arrowsMoveWithin()
    {
        view()->setFocus();
        view()->setCurrentIndex(view()->model()->index(0, IssuerAudienceMatrixModel::FirstAudienceColumn));
        QTRY_VERIFY(view()->hasFocus());
        QVERIFY(!view()->tabKeyNavigation());
        QTest::keyClick(view(), Qt::Key_Right);
        QCOMPARE(view()->currentIndex().column(), IssuerAudienceMatrixModel::FirstAudienceColumn + 1);
        QTest::keyClick(view(), Qt::Key_Down);
        QCOMPARE(view()->currentIndex().row(), 1);
        QTest::keyClick(view(), Qt::Key_Tab);
        QTRY_VERIFY(!view()->hasFocus());
        QCOMPARE(QApplication::focusWidget(), m_after); // the next field after the matrix
        view()->setFocus();
        QTRY_VERIFY(view()->hasFocus());
        QTest::keyClick(view(), Qt::Key_Backtab);
        QTRY_VERIFY(!view()->hasFocus());
        QVERIFY(QApplication::focusWidget() != view());
        // The cell did not move with either key.
        QCOMPARE(view()->currentIndex().row(), 1);
        QCOMPARE(view()->currentIndex().column(), IssuerAudienceMatrixModel::FirstAudienceColumn + 1);
    }

    void ctrlPageDown_doesNotMoveTheRow()
    {
        view()->setFocus();
        view()->setCurrentIndex(view()->model()->index(0, 0));
        QTRY_VERIFY(view()->hasFocus());
        QTest::keyClick(view(), Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(view()->currentIndex().row(), 0);
        QTest::keyClick(view(), Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(view()->currentIndex().row(), 0);
        QTest::keyClick(view(), Qt::Key_PageDown); // plain PageDown still pages
        QCOMPARE(view()->currentIndex().row(), view()->model()->rowCount() - 1);
    }

    void frozenColumns_neverTakeFocus()
    {
        auto* frozen = static_cast<FrozenTableView*>(view())->frozenView();
        QCOMPARE(frozen->focusPolicy(), Qt::NoFocus);
        QVERIFY(frozen->isVisible());
        QCOMPARE(frozen->selectionModel(), view()->selectionModel());
        QVERIFY(!frozen->isColumnHidden(IssuerAudienceMatrixModel::IssuerColumn));
        QVERIFY(frozen->isColumnHidden(IssuerAudienceMatrixModel::FirstAudienceColumn));
    }

    void frozenCells_editedWhereTheyAreSeen_focusComesBack()
    {
        auto* frozen = static_cast<FrozenTableView*>(view())->frozenView();
        QPushButton* add = m_editor->findChild<QPushButton*>(QStringLiteral("addIssuerButton"));
        QVERIFY(add);
        add->click();
        auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY(editor);
        QVERIFY(frozen->isAncestorOf(editor)); // not hidden under the frozen columns
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("https://typed.example.com/"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(m_doc->policy().issuers.last().issuer, QStringLiteral("https://typed.example.com/"));
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(view()));
        // F2 on a trust-domain cell: the same.
        view()->setCurrentIndex(view()->model()->index(0, IssuerAudienceMatrixModel::TrustDomainColumn));
        QTest::keyClick(view(), Qt::Key_F2);
        QVERIFY(frozen->isAncestorOf(QApplication::focusWidget()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(view()));
        // Typing on it starts the edit with what was typed.
        QTest::keyClick(view(), Qt::Key_Q);
        auto* typed = qobject_cast<QLineEdit*>(QApplication::focusWidget());
        QVERIFY(typed && frozen->isAncestorOf(typed));
        QCOMPARE(typed->text(), QStringLiteral("q"));
        QTest::keyClick(typed, Qt::Key_Return);
        QTRY_COMPARE(m_doc->policy().issuers.at(0).trustDomain, QStringLiteral("q"));
    }

    void focusedCell_drawnApartFromTheSelection()
    {
        const QModelIndex cell = view()->model()->index(1, IssuerAudienceMatrixModel::FirstAudienceColumn + 1);
        view()->setCurrentIndex(cell);
        view()->selectionModel()->select(cell, QItemSelectionModel::ClearAndSelect);
        const QRect rect = view()->visualRect(cell);
        m_after->setFocus();
        QTRY_VERIFY(!view()->hasFocus());
        const QImage selectedOnly = view()->viewport()->grab(rect).toImage();
        view()->setFocus();
        QTRY_VERIFY(view()->hasFocus());
        const QImage focused = view()->viewport()->grab(rect).toImage();
        // The outline: the cell's edge pixels differ once it has the keyboard.
        const QPoint edge(1, rect.height() / 2);
        if (qEnvironmentVariableIsSet("JWB_SAVE_GRABS")) {
            selectedOnly.save(QStringLiteral("/tmp/estate/sel.png"));
            focused.save(QStringLiteral("/tmp/estate/foc.png"));
        }
        QVERIFY(selectedOnly.pixelColor(edge) != focused.pixelColor(edge));
        QCOMPARE(focused.pixelColor(edge), view()->palette().color(QPalette::Text));
    }

    void filterBox_narrowsRows_selectingAHiddenIssuerClearsIt()
    {
        QLineEdit* filter = m_editor->findChild<QLineEdit*>(QStringLiteral("matrixFilter"));
        QVERIFY(filter);
        QTest::keyClicks(filter, QStringLiteral("partners"));
        QTRY_COMPARE(view()->model()->rowCount(), 1);
        auto* counts = m_editor->findChild<QLabel*>(QStringLiteral("matrixCounts"));
        QTRY_COMPARE(counts->text(), QStringLiteral("Showing 1 of 3 issuers and 4 of 4 audiences"));
        m_editor->selectIssuer(2); // billing: not a partner
        QCOMPARE(view()->model()->rowCount(), 3);
        QVERIFY(filter->text().isEmpty());
        QCOMPARE(m_editor->currentIssuerRow(), 2);
    }

    void toggles_groupAndFlag()
    {
        auto* group = m_editor->findChild<QCheckBox*>(QStringLiteral("matrixGroupByDomain"));
        auto* flagged = m_editor->findChild<QCheckBox*>(QStringLiteral("matrixOnlyFlagged"));
        QVERIFY(group && flagged);
        group->setChecked(true);
        QCOMPARE(view()->model()->index(0, 0).data().toString(), QStringLiteral("https://auth.partner.example.net/"));
        QVERIFY(m_doc->setAudienceAllowed(1, m_doc->audienceColumn(QStringLiteral("ledger-api")), true).ok());
        flagged->setChecked(true);
        QCOMPARE(view()->model()->columnCount(), IssuerAudienceMatrixModel::FirstAudienceColumn + 1);
        QCOMPARE(view()->model()->headerData(IssuerAudienceMatrixModel::FirstAudienceColumn, Qt::Horizontal).toString(),
                 QStringLiteral("ledger-api"));
    }

    void sharedBanner_staysBounded()
    {
        // 30 audiences each shared by a workforce and a partners issuer.
        for (int i = 0; i < 30; ++i) {
            const QString aud = QStringLiteral("shared-%1").arg(i, 2, 10, QLatin1Char('0'));
            QVERIFY(m_doc->addAudience(aud).ok());
            QVERIFY(m_doc->setAudienceAllowed(0, m_doc->audienceColumn(aud), true).ok());
            QVERIFY(m_doc->setAudienceAllowed(1, m_doc->audienceColumn(aud), true).ok());
        }
        auto* legend = m_editor->findChild<QLabel*>(QStringLiteral("sharedAudienceLegend"));
        QCOMPARE(m_doc->sharedAudienceCount(), 30);
        QVERIFY2(legend->text().contains(QStringLiteral("shared-00, shared-01, shared-02, shared-03, shared-04 \u2026 and 25 more")),
                 qPrintable(legend->text()));
        QVERIFY(legend->text().size() < 300);
    }

    void overviewClick_goesToThatCell()
    {
        MatrixOverview* overview = m_editor->overview();
        // The sample's matrix fits: the overview starts hidden and the user turns it on.
        QVERIFY(!overview->isVisible());
        auto* toggle = m_window->findChild<QCheckBox*>(QStringLiteral("matrixShowOverview"));
        QVERIFY(toggle);
        QTest::mouseClick(toggle, Qt::LeftButton);
        QTRY_VERIFY(overview->isVisible());
        // The sample's 3 x 4 matrix: the map's lower right quarter is billing's last audiences.
        const QPoint at(overview->width() - 6, overview->height() - 6);
        const QPoint cell = overview->cellAt(at);
        QCOMPARE(cell, QPoint(3, 2));
        QTest::mouseClick(overview, Qt::LeftButton, {}, at);
        QCOMPARE(m_editor->currentIssuerRow(), 2);
        QCOMPARE(view()->currentIndex().column(), IssuerAudienceMatrixModel::FirstAudienceColumn + 3);
        QVERIFY(view()->hasFocus());
    }
};

QTEST_MAIN(TestMatrixEditor)
#include "tst_matrixeditor.moc"
