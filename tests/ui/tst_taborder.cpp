// SPDX-License-Identifier: Apache-2.0
// Keyboard users reach every field of each editor and workbench page with Tab, in the order a reader sees them: down a
// column, left to right along a row, and on to the next column to the right. A widget added later in
// code (or moved in a layout) would otherwise sit at the end of the chain, far from where it is shown.
#include "UiTestSupport.h"
#include "editors/DefaultsEditor.h"
#include "editors/ExceptionsEditor.h"
#include "editors/IssuerDetailsEditor.h"
#include "editors/MatrixEditor.h"
#include "models/PolicyDocument.h"
#include "views/CorpusView.h"
#include "views/ExportView.h"
#include "views/RotationView.h"
#include "views/SelfTestView.h"
#include "views/TokenLabView.h"

#include <QTabWidget>
#include <QTest>

#include <memory>

using namespace jwb;
using namespace jwb::ui;

namespace {

bool takesTab(const QWidget* w, const QWidget* root)
{
    return w != root && w->isVisibleTo(root) && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus) != 0
        && root->isAncestorOf(w);
}

// The widgets Tab visits inside `root`, starting from the first one, until the chain comes back.
QList<QWidget*> tabChain(QWidget* root)
{
    QList<QWidget*> chain;
    QWidget* start = root->nextInFocusChain();
    for (QWidget* w = start; w; w = w->nextInFocusChain()) {
        if (takesTab(w, root) && !chain.contains(w))
            chain.append(w);
        if (w->nextInFocusChain() == start)
            break;
    }
    return chain;
}

QString describe(const QWidget* w, const QWidget* root)
{
    const QRect r(w->mapTo(root, QPoint(0, 0)), w->size());
    return QStringLiteral("%1 '%2' at (%3,%4 %5x%6)")
        .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), QString::number(r.x()),
             QString::number(r.y()), QString::number(r.width()), QString::number(r.height()));
}

// Empty when `next` may follow `previous` in reading order, else why not.
QString readingOrderProblem(const QWidget* previous, const QWidget* next, const QWidget* root)
{
    constexpr int tolerance = 4; // widgets on one row differ by a few pixels of baseline alignment
    const QRect a(previous->mapTo(root, QPoint(0, 0)), previous->size());
    const QRect b(next->mapTo(root, QPoint(0, 0)), next->size());
    const bool sameRow = b.top() < a.bottom() && a.top() < b.bottom();
    if (sameRow && b.left() + tolerance < a.left())
        return QStringLiteral("goes back to the left on the same row");
    const bool above = b.bottom() < a.top() + tolerance;
    const bool inLaterColumn = b.left() + tolerance >= a.right();
    if (above && !inLaterColumn)
        return QStringLiteral("goes back up without moving to a column on the right");
    return {};
}

} // namespace

class TestTabOrder final : public QObject {
    Q_OBJECT

private slots:
    void init() { m_doc.reset(uitest::sample(), {}); }

    void pages_tabVisitsEveryFieldInReadingOrder_data()
    {
        QTest::addColumn<QString>("editor");
        QTest::newRow("defaults") << QStringLiteral("defaults");
        QTest::newRow("issuer details") << QStringLiteral("issuer");
        QTest::newRow("exceptions") << QStringLiteral("exceptions");
        QTest::newRow("matrix") << QStringLiteral("matrix");
        QTest::newRow("token lab") << QStringLiteral("tokenlab");
        QTest::newRow("self-test") << QStringLiteral("selftest");
        QTest::newRow("corpus") << QStringLiteral("corpus");
        QTest::newRow("export") << QStringLiteral("export");
        QTest::newRow("key rotation") << QStringLiteral("rotation");
    }

    void pages_tabVisitsEveryFieldInReadingOrder()
    {
        QFETCH(QString, editor);
        std::unique_ptr<QWidget> w;
        if (editor == QLatin1String("defaults")) {
            w = std::make_unique<DefaultsEditor>(&m_doc);
        } else if (editor == QLatin1String("issuer")) {
            auto details = std::make_unique<IssuerDetailsEditor>(&m_doc);
            details->setIssuerRow(0);
            w = std::move(details);
        } else if (editor == QLatin1String("exceptions")) {
            w = std::make_unique<ExceptionsEditor>(&m_doc);
        } else if (editor == QLatin1String("matrix")) {
            w = std::make_unique<MatrixEditor>(&m_doc);
        } else if (editor == QLatin1String("tokenlab")) {
            w = std::make_unique<TokenLabView>();
        } else if (editor == QLatin1String("selftest")) {
            w = std::make_unique<SelfTestView>();
        } else if (editor == QLatin1String("corpus")) {
            w = std::make_unique<CorpusView>();
        } else if (editor == QLatin1String("export")) {
            w = std::make_unique<ExportView>();
        } else {
            w = std::make_unique<RotationView>();
        }
        w->resize(1100, 900);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        // Editors with tabs (issuer details) are checked on every tab: each shows other fields.
        auto* tabs = w->findChild<QTabWidget*>();
        const int pages = tabs ? tabs->count() : 1;
        for (int page = 0; page < pages; ++page) {
            if (tabs)
                tabs->setCurrentIndex(page);
            checkChain(w.get());
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("on tab %1").arg(page)));
        }
    }

private:
    static void checkChain(QWidget* root)
    {
        const QList<QWidget*> chain = tabChain(root);
        if (qEnvironmentVariableIsSet("JWB_PRINT_TAB_CHAIN")) {
            for (QWidget* c : chain)
                qInfo().noquote() << describe(c, root);
        }
        QVERIFY2(chain.size() >= 2, qPrintable(QStringLiteral("only %1 widget(s) take Tab").arg(chain.size())));
        // Every widget that takes Tab is on the chain: none is skipped by a broken setTabOrder.
        const QList<QWidget*> all = root->findChildren<QWidget*>();
        for (QWidget* child : all) {
            if (takesTab(child, root))
                QVERIFY2(chain.contains(child), qPrintable(QStringLiteral("not reachable with Tab: ") + describe(child, root)));
        }
        for (qsizetype i = 1; i < chain.size(); ++i) {
            const QString problem = readingOrderProblem(chain[i - 1], chain[i], root);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("Tab from %1 to %2 %3")
                                                       .arg(describe(chain[i - 1], root), describe(chain[i], root),
                                                            problem)));
        }
    }

    PolicyDocument m_doc;
};

QTEST_MAIN(TestTabOrder)
#include "tst_taborder.moc"
