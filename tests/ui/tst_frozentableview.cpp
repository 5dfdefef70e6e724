// SPDX-License-Identifier: Apache-2.0
// FrozenTableView: scrolled horizontally, the first scrolling column starts at the frozen part's
// right edge (never half under it), in either direction and after the columns change; a cell brought
// into view is shown whole. Renders the scrolled table to PNG when JWB_SCREENSHOT_DIR is set.
#include "widgets/FrozenTableView.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTest>

using namespace jwb::ui;

namespace {
constexpr int kFrozen = 2;
constexpr int kColumns = 60;
constexpr int kRows = 30;
constexpr int kWidth = 90;
} // namespace

class TestFrozenTableView final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QStandardItemModel> m_model;
    std::unique_ptr<FrozenTableView> m_view;

    // Pixels of the first scrolling column shown that lie under the frozen part (0 when aligned).
    int cutAtFrozenEdge() const
    {
        QHeaderView* header = m_view->horizontalHeader();
        const int edge = kFrozen * kWidth;
        const int column = header->logicalIndexAt(edge);
        return column < kFrozen ? 0 : edge - header->sectionViewportPosition(column);
    }

private slots:
    void init()
    {
        m_model = std::make_unique<QStandardItemModel>(kRows, kColumns);
        for (int c = 0; c < kColumns; ++c) {
            m_model->setHorizontalHeaderItem(c, new QStandardItem(QStringLiteral("aud-%1").arg(c, 3, 10, QChar(u'0'))));
            for (int r = 0; r < kRows; ++r)
                m_model->setItem(r, c, new QStandardItem(QStringLiteral("%1:%2").arg(r).arg(c)));
        }
        m_view = std::make_unique<FrozenTableView>(kFrozen);
        m_view->setModel(m_model.get());
        m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
        m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        m_view->horizontalHeader()->setDefaultSectionSize(kWidth);
        for (int c = 0; c < kColumns; ++c)
            m_view->setColumnWidth(c, kWidth);
        m_view->resize(700, 400);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup()
    {
        m_view.reset();
        m_model.reset();
    }

    void scrolledByPixels_snapsToAColumnEdge_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<int>("expected"); // the scroll value it snaps to
        QTest::newRow("right, a little") << 0 << 10 << kWidth;
        QTest::newRow("right, past half") << 0 << 60 << kWidth;
        QTest::newRow("right, further") << kWidth << kWidth * 3 + 20 << kWidth * 4;
        QTest::newRow("left, a little") << kWidth * 4 << kWidth * 4 - 10 << kWidth * 3;
        QTest::newRow("left, most of a column") << kWidth * 4 << kWidth * 3 + 5 << kWidth * 3;
    }
    void scrolledByPixels_snapsToAColumnEdge()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(int, expected);
        QScrollBar* bar = m_view->horizontalScrollBar();
        bar->setValue(from);
        QCOMPARE(bar->value(), from);
        bar->setValue(to);
        QCOMPARE(bar->value(), expected);
        QCOMPARE(cutAtFrozenEdge(), 0);
        if (qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR") && QByteArray(QTest::currentDataTag()) == "right, further")
            QVERIFY(m_view->grab().save(qEnvironmentVariable("JWB_SCREENSHOT_DIR") + QStringLiteral("/frozen-scrolled.png")));
    }

    void atTheEnd_theLastColumnStaysWhole()
    {
        QScrollBar* bar = m_view->horizontalScrollBar();
        bar->setValue(bar->maximum());
        QCOMPARE(bar->value(), bar->maximum());
        const QRect last = m_view->visualRect(m_model->index(0, kColumns - 1));
        QVERIFY(last.right() <= m_view->viewport()->width());
    }

    void whileDragged_notMoved_thenSnappedOnRelease()
    {
        QScrollBar* bar = m_view->horizontalScrollBar();
        bar->setSliderDown(true);
        bar->setValue(kWidth * 2 + 30);
        QCOMPARE(bar->value(), kWidth * 2 + 30); // the thumb follows the mouse
        bar->setSliderDown(false);               // emits sliderReleased
        QCOMPARE(cutAtFrozenEdge(), 0);
        QVERIFY(bar->value() % kWidth == 0);
    }

    void columnsChanged_realignedAtTheSameScroll()
    {
        QScrollBar* bar = m_view->horizontalScrollBar();
        bar->setValue(kWidth * 5);
        m_view->setColumnWidth(kFrozen, kWidth / 2); // a column before the edge narrower: everything shifts
        m_model->insertColumn(kColumns);             // the view re-lays its columns out
        QTRY_COMPARE(cutAtFrozenEdge(), 0);
    }

    void cellBroughtIntoView_isShownWhole()
    {
        const QModelIndex cell = m_model->index(3, 25);
        m_view->scrollTo(cell);
        const QRect rect = m_view->visualRect(cell);
        QVERIFY2(rect.left() >= kFrozen * kWidth, qPrintable(QString::number(rect.left())));
        QVERIFY(rect.right() <= m_view->viewport()->width());
    }
};

QTEST_MAIN(TestFrozenTableView)
#include "tst_frozentableview.moc"
