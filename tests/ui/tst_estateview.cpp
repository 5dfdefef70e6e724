// SPDX-License-Identifier: Apache-2.0
// The Estate page: the verifier table (QAbstractItemModelTester), undoable add/edit/remove with the
// core loader refusing what it would not read, an atomic save that loads back, a bad estate file
// that shows its file:line and loads nothing, the matrix colours from a hand-built core report,
// and "Probe all" against two real jose services (strict and weak options) run from the page with
// its matrix, cell drill-down, trust chain and Cancel. With JWB_SCREENSHOT_DIR set, the page after
// the real run is written there as estate.png and estate-chain.png (1280x800).
#include "JoseService.h"
#include "estate/Estate.h"
#include "models/EstateDocument.h"
#include "models/EstateMatrixModel.h"
#include "models/EstateTokensModel.h"
#include "models/EstateVerifierModel.h"
#include "models/Palette.h"
#include "models/TraceEvaluation.h"
#include "models/TraceModel.h"
#include "views/EstateView.h"
#include "views/MainWindow.h"
#include "views/ProblemsPanel.h"
#include "views/WorkbenchPages.h"
#include "widgets/TrustChainWidget.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

using namespace jwb;

namespace {

constexpr int kProbeTimeoutMs = 180000;

// The staging policy and signing key beside an estate file in a temporary directory.
struct EstateFixture {
    QTemporaryDir dir;
    QString policyPath;

    EstateFixture() { policyPath = testing::writeStagingPolicy(dir); }

    QByteArray verifier(const QString& name, const QString& kind, const QString& url, double rate = 50) const
    {
        QByteArray text = "  - name: " + name.toUtf8() + "\n    kind: " + kind.toUtf8()
                          + "\n    owner: " + name.toUtf8() + "-team@example.com\n    issuers: ["
                          + testing::kStagingIssuer.toUtf8() + "]\n";
        if (!url.isEmpty())
            text += "    probe:\n      url: " + url.toUtf8() + "\n      signing_key: " + testing::stagingKeyPath().toUtf8()
                    + "\n      rate: " + QByteArray::number(rate) + "\n";
        return text;
    }

    QString write(const QByteArray& verifiers, const QString& name = QStringLiteral("estate.yaml")) const
    {
        return testing::writeInto(dir, name,
                                  "jwt_estate: 1\nname: staging\nowner: platform-security@example.com\n"
                                  "policy: staging-policy.yaml\nverifiers:\n"
                                      + verifiers);
    }

    // Two verifiers nothing listens for: enough for the table and the editing tests.
    QString writeOffline() const
    {
        return write(verifier(QStringLiteral("edge-envoy"), QStringLiteral("envoy"), QString())
                     + verifier(QStringLiteral("orders-api"), QStringLiteral("service"),
                                QStringLiteral("http://127.0.0.1:9/orders")));
    }
};

QStringList names(const estate::Estate& e)
{
    QStringList out;
    for (const estate::Verifier& v : e.verifiers)
        out << v.name;
    return out;
}

int rowOf(const ui::EstateMatrixModel& model, const QString& verifier)
{
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.verifierAt(r) == verifier)
            return r;
    }
    return -1;
}

int columnOf(const ui::EstateMatrixModel& model, const QString& cls)
{
    for (int c = 0; c < model.columnCount(); ++c) {
        if (model.classAt(c) == cls)
            return c;
    }
    return -1;
}

const estate::VerifierAssessment* assessment(const estate::EstateReport& report, const QString& name)
{
    for (const estate::VerifierAssessment& a : report.verifiers) {
        if (a.name == name)
            return &a;
    }
    return nullptr;
}

} // namespace

class TestEstateView final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::LiveServer> m_strict;
    std::unique_ptr<testing::LiveServer> m_weak;
    std::unique_ptr<QTemporaryDir> m_serverDir;

    bool startServices()
    {
        m_serverDir = std::make_unique<QTemporaryDir>();
        m_strict = std::make_unique<testing::LiveServer>(*m_serverDir, QStringLiteral("jose-strict"));
        m_weak = std::make_unique<testing::LiveServer>(*m_serverDir, QStringLiteral("jose-weak"));
        return testing::startJoseService(*m_strict, *m_serverDir, false)
               && testing::startJoseService(*m_weak, *m_serverDir, true);
    }

    QString serviceProblems()
    {
        QString text;
        for (auto* s : {m_strict.get(), m_weak.get()}) {
            if (s)
                text += testing::joseStartProblem(*s) + u'\n';
        }
        return text;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("estate"));
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qWarning().noquote() << serviceProblems();
        m_strict.reset();
        m_weak.reset();
        m_serverDir.reset();
    }

    void verifierModel_passesModelTesterThroughEdits()
    {
        EstateFixture f;
        ui::EstateDocument document;
        ui::EstateVerifierModel model(&document);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        const Status opened = document.open(f.writeOffline());
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().toString()));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(ui::EstateVerifierModel::ColumnCount));
        QCOMPARE(model.index(0, ui::EstateVerifierModel::NameColumn).data().toString(), QStringLiteral("edge-envoy"));
        QCOMPARE(model.index(0, ui::EstateVerifierModel::KindColumn).data().toString(), QStringLiteral("envoy"));
        QCOMPARE(model.index(1, ui::EstateVerifierModel::IssuersColumn).data().toString(), testing::kStagingIssuer);
        QCOMPARE(model.index(1, ui::EstateVerifierModel::ProbeUrlColumn).data().toString(),
                 QStringLiteral("http://127.0.0.1:9/orders"));
        QCOMPARE(model.index(0, ui::EstateVerifierModel::ProbeUrlColumn).data(Qt::EditRole).toString(), QString());
        QVERIFY(!(model.flags(model.index(0, ui::EstateVerifierModel::VerdictColumn)) & Qt::ItemIsEditable));
        QVERIFY(model.flags(model.index(0, ui::EstateVerifierModel::OwnerColumn)) & Qt::ItemIsEditable);

        QVERIFY(document.insertVerifier(1, document.newVerifier()).ok());
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.setData(model.index(1, ui::EstateVerifierModel::OwnerColumn), QStringLiteral("ops@example.com")));
        QVERIFY(document.removeVerifier(0).ok());
        QCOMPARE(model.rowCount(), 2);
        document.undoStack()->undo();
        document.undoStack()->undo();
        document.undoStack()->undo();
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(names(document.estate()), (QStringList{QStringLiteral("edge-envoy"), QStringLiteral("orders-api")}));
    }

    void addEditRemove_undoRedoAndSaveRoundTrip()
    {
        EstateFixture f;
        ui::EstateView view;
        const QString path = f.writeOffline();
        QVERIFY(view.openFile(path));
        QCOMPARE(view.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
        ui::EstateDocument* doc = view.document();
        ui::EstateVerifierModel* model = view.verifierModel();
        QUndoStack* stack = doc->undoStack();

        // Add through the page's button: a verifier that loads as it is.
        view.findChild<QPushButton*>(QStringLiteral("addButton"))->click();
        QCOMPARE(doc->verifierCount(), 3);
        QCOMPARE(doc->estate().verifiers.at(2).name, QStringLiteral("verifier-3"));
        QCOMPARE(stack->count(), 1);

        // Inline edits, each one step.
        QVERIFY(model->setData(model->index(2, ui::EstateVerifierModel::NameColumn), QStringLiteral("billing-api")));
        QVERIFY(model->setData(model->index(2, ui::EstateVerifierModel::KindColumn), QStringLiteral("kong")));
        QVERIFY(model->setData(model->index(2, ui::EstateVerifierModel::ProbeUrlColumn),
                               QStringLiteral("https://billing.staging.example.test/api")));
        QCOMPARE(stack->count(), 4);
        QVERIFY(doc->estate().verifiers.at(2).kind == estate::VerifierKind::Kong);
        QVERIFY(doc->estate().verifiers.at(2).probe.has_value());

        // Refused by the core loader: nothing changes, no step, and the error names file:line: field.
        QVERIFY(!model->setData(model->index(2, ui::EstateVerifierModel::ProbeUrlColumn), QStringLiteral("ftp://x/")));
        auto* error = view.findChild<QLabel*>(QStringLiteral("errorLabel"));
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(QStringLiteral("estate.yaml:")), qPrintable(error->text()));
        QVERIFY2(error->text().contains(QStringLiteral("verifiers[2].probe.url")), qPrintable(error->text()));
        QVERIFY(!model->setData(model->index(2, ui::EstateVerifierModel::NameColumn), QStringLiteral("orders-api")));
        QVERIFY2(error->text().contains(QStringLiteral("already defined")), qPrintable(error->text()));
        QVERIFY(!model->setData(model->index(2, ui::EstateVerifierModel::IssuersColumn),
                                QStringLiteral("https://unknown.example.test/")));
        QVERIFY(!model->setData(model->index(2, ui::EstateVerifierModel::KindColumn), QStringLiteral("gateway")));
        QCOMPARE(stack->count(), 4);
        QCOMPARE(doc->estate().verifiers.at(2).name, QStringLiteral("billing-api"));

        // Remove through the button (the selected row), then undo and redo everything.
        auto* table = view.findChild<QTableView*>(QStringLiteral("verifierTable"));
        table->setCurrentIndex(model->index(0, 0));
        view.findChild<QPushButton*>(QStringLiteral("removeButton"))->click();
        QCOMPARE(names(doc->estate()), (QStringList{QStringLiteral("orders-api"), QStringLiteral("billing-api")}));
        QCOMPARE(stack->count(), 5);
        for (int i = 0; i < 5; ++i)
            stack->undo();
        QCOMPARE(names(doc->estate()), (QStringList{QStringLiteral("edge-envoy"), QStringLiteral("orders-api")}));
        QVERIFY(!doc->isModified());
        for (int i = 0; i < 5; ++i)
            stack->redo();
        QCOMPARE(names(doc->estate()), (QStringList{QStringLiteral("orders-api"), QStringLiteral("billing-api")}));
        QVERIFY(doc->isModified());

        // The last verifier cannot go: the loader requires one.
        QVERIFY(doc->removeVerifier(0).ok());
        QVERIFY(!doc->removeVerifier(0).ok());
        stack->undo();

        // Save, then load what was written with the core loader: the same estate.
        QVERIFY(view.saveFile());
        QVERIFY(!doc->isModified());
        auto reread = estate::loadEstateFile(path);
        QVERIFY2(reread.ok(), reread.ok() ? "" : qPrintable(reread.error().toString()));
        QCOMPARE(names(reread.value()), (QStringList{QStringLiteral("orders-api"), QStringLiteral("billing-api")}));
        const estate::Verifier& billing = reread->verifiers.at(1);
        QVERIFY(billing.kind == estate::VerifierKind::Kong);
        QCOMPARE(billing.issuers, QStringList{testing::kStagingIssuer});
        QCOMPARE(billing.probe->target.url, QUrl(QStringLiteral("https://billing.staging.example.test/api")));
        const estate::Verifier& orders = reread->verifiers.at(0);
        QCOMPARE(orders.probe->signingKeyPath, QDir::cleanPath(testing::stagingKeyPath()));
        QCOMPARE(orders.probe->target.ratePerSecond, 50.0);
        QCOMPARE(orders.owner, QStringLiteral("orders-api-team@example.com"));
        QCOMPARE(reread->policyPath, QFileInfo(f.policyPath).absoluteFilePath());
        // Paths are written relative to the estate's folder.
        QVERIFY2(testing::readFile(path).contains("policy: \"staging-policy.yaml\""), testing::readFile(path).constData());

        // Save as JSON: the core reads it back as JSON.
        const QString jsonPath = f.dir.filePath(QStringLiteral("copy.json"));
        QVERIFY(view.saveFileAs(jsonPath));
        auto json = estate::loadEstateFile(jsonPath);
        QVERIFY2(json.ok(), json.ok() ? "" : qPrintable(json.error().toString()));
        QCOMPARE(names(json.value()), names(reread.value()));
        QCOMPARE(doc->filePath(), QFileInfo(jsonPath).absoluteFilePath());
    }

    void badEstateFile_showsFileLineAndLoadsNothing()
    {
        EstateFixture f;
        const QString bad = f.write("  - name: edge\n    kind: gateway\n    issuers: [" + testing::kStagingIssuer.toUtf8()
                                        + "]\n",
                                    QStringLiteral("bad.yaml"));
        {
            ui::EstateView fresh;
            QVERIFY(!fresh.openFile(bad));
            QVERIFY(!fresh.document()->isOpen());
            QCOMPARE(fresh.verifierModel()->rowCount(), 0);
            auto* error = fresh.findChild<QLabel*>(QStringLiteral("errorLabel"));
            QVERIFY(!error->isHidden());
            QVERIFY2(error->text().contains(QStringLiteral("bad.yaml:7: verifiers[0].kind")), qPrintable(error->text()));
            QVERIFY(!fresh.findChild<QPushButton*>(QStringLiteral("probeButton"))->isEnabled());
        }
        // Over an open estate: the open one stays, untouched.
        ui::EstateView view;
        const QString good = f.writeOffline();
        QVERIFY(view.openFile(good));
        QVERIFY(!view.openFile(bad));
        QCOMPARE(view.document()->filePath(), QFileInfo(good).absoluteFilePath());
        QCOMPARE(view.verifierModel()->rowCount(), 2);
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("errorLabel"))->text().contains(QStringLiteral("ERR_ESTATE")) ||
                view.findChild<QLabel*>(QStringLiteral("errorLabel"))->text().contains(QStringLiteral("not one of")));
        QVERIFY(!view.openFile(f.dir.filePath(QStringLiteral("absent.yaml"))));
        QCOMPARE(view.verifierModel()->rowCount(), 2);
    }

    void matrixModel_coloursFromHandBuiltCoreReport()
    {
        auto report = std::make_shared<estate::EstateReport>();
        report->matrix.classes = {QStringLiteral("valid"), QStringLiteral("alg_none"), QStringLiteral("audience"),
                                  QStringLiteral("expiry"), QStringLiteral("typ")};
        estate::MatrixRow weak{QStringLiteral("orders-api"),
                               {{QStringLiteral("valid"), QStringLiteral("conforms")},
                                {QStringLiteral("alg_none"), QStringLiteral("conforms")},
                                {QStringLiteral("audience"), QStringLiteral("accepts_rejected")},
                                {QStringLiteral("expiry"), QStringLiteral("inconclusive")},
                                {QStringLiteral("typ"), estate::kNotProbed}},
                               {QStringLiteral("audience")}};
        estate::MatrixRow breaks{QStringLiteral("edge"),
                                 {{QStringLiteral("valid"), QStringLiteral("rejects_accepted")},
                                  {QStringLiteral("alg_none"), QStringLiteral("conforms")},
                                  {QStringLiteral("audience"), QStringLiteral("conforms")},
                                  {QStringLiteral("expiry"), QStringLiteral("conforms")},
                                  {QStringLiteral("typ"), QStringLiteral("conforms")}},
                                 {}};
        report->matrix.rows = {weak, breaks};
        ui::EstateMatrixModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(report);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("audience"));
        QCOMPARE(model.headerData(1, Qt::Vertical).toString(), QStringLiteral("edge"));
        const QPalette pal;
        const auto bg = [&model](int r, int c) { return model.index(r, c).data(Qt::BackgroundRole).value<QColor>(); };
        QCOMPARE(model.index(0, 2).data(ui::EstateMatrixModel::OutcomeRole).toString(), QStringLiteral("accepts_rejected"));
        QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("critical"));
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("ok"));
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("alg_\nnone"));
        QCOMPARE(bg(0, 2), ui::tintBackground(pal, ui::Tint::Danger));
        QVERIFY(model.index(0, 2).data(ui::EstateMatrixModel::UnexplainedRole).toBool());
        QCOMPARE(bg(0, 0), ui::tintBackground(pal, ui::Tint::Ok));
        QCOMPARE(bg(1, 0), ui::tintBackground(pal, ui::Tint::Warning));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("breaks"));
        QCOMPARE(model.index(0, 3).data().toString(), QStringLiteral("?"));
        QVERIFY(bg(0, 3).isValid());
        QVERIFY(bg(0, 3) != bg(0, 0) && bg(0, 3) != bg(0, 2) && bg(0, 3) != bg(1, 0));
        QVERIFY(!model.index(0, 4).data(Qt::BackgroundRole).isValid()); // not probed: no tint
        QVERIFY(!model.index(1, 2).data(ui::EstateMatrixModel::UnexplainedRole).toBool());
        model.setReport(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void probeAll_realJoseServices_matrixChainAndTraces()
    {
        QVERIFY2(startServices(), qPrintable(serviceProblems()));
        EstateFixture f;
        const QString path = f.write(
            f.verifier(QStringLiteral("edge-envoy"), QStringLiteral("envoy"), QString())
            + f.verifier(QStringLiteral("orders-api"), QStringLiteral("service"), m_strict->baseUrl() + QStringLiteral("/orders"))
            + f.verifier(QStringLiteral("billing-api"), QStringLiteral("service"), m_weak->baseUrl() + QStringLiteral("/billing")));

        // From the workbench window: the page is registered with its shortcut.
        ui::MainWindow window;
        ui::installWorkbenchPages(window);
        window.loadSample();
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* view = window.findChild<ui::EstateView*>(QStringLiteral("estatePage"));
        QVERIFY(view);
        QTest::keyClick(&window, Qt::Key_9, Qt::ControlModifier);
        QCOMPARE(window.pages()->currentWidget(), view);
        QVERIFY(window.findChild<QAction*>(QStringLiteral("openEstateAction")));

        QVERIFY(view->openFile(path));
        auto* probe = view->findChild<QPushButton*>(QStringLiteral("probeButton"));
        auto* progress = view->findChild<QProgressBar*>(QStringLiteral("progressBar"));
        QVERIFY(probe->isEnabled());
        QTest::mouseClick(probe, Qt::LeftButton);
        QVERIFY(view->isRunning());
        QVERIFY(!probe->isEnabled());
        QVERIFY(view->findChild<QPushButton*>(QStringLiteral("cancelButton"))->isEnabled());
        // The UI thread keeps turning while the probe runs: progress arrives by queued calls.
        QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, kProbeTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isRunning(), kProbeTimeoutMs);
        QVERIFY2(view->lastError().isEmpty(), qPrintable(view->lastError()));
        QCOMPARE(progress->value(), progress->maximum());
        const auto report = view->report();
        QVERIFY(report);
        QVERIFY(!report->cancelled);

        const estate::VerifierAssessment* strict = assessment(*report, QStringLiteral("orders-api"));
        const estate::VerifierAssessment* weak = assessment(*report, QStringLiteral("billing-api"));
        QVERIFY(strict && weak && strict->evidence.probe && weak->evidence.probe);
        QCOMPARE(strict->evidence.probe->inconclusive, 0);
        QCOMPARE(weak->evidence.probe->inconclusive, 0);
        // What jose cannot be told to check makes both weak under this policy; only the weak
        // service accepts tokens for another audience or from another issuer.
        QCOMPARE(strict->cells.value(QStringLiteral("audience")), QStringLiteral("conforms"));
        QCOMPARE(strict->cells.value(QStringLiteral("issuer")), QStringLiteral("conforms"));
        QCOMPARE(weak->cells.value(QStringLiteral("audience")), QStringLiteral("accepts_rejected"));
        QCOMPARE(weak->cells.value(QStringLiteral("issuer")), QStringLiteral("accepts_rejected"));
        QCOMPARE(strict->cells.value(QStringLiteral("valid")), QStringLiteral("conforms"));
        QCOMPARE(weak->cells.value(QStringLiteral("alg_none")), QStringLiteral("conforms"));
        QVERIFY(weak->evidence.probe->acceptsRejected > strict->evidence.probe->acceptsRejected);

        // The matrix shows the core's matrix, cell for cell.
        ui::EstateMatrixModel* matrix = view->matrixModel();
        QCOMPARE(matrix->rowCount(), int(report->matrix.rows.size()));
        QCOMPARE(matrix->columnCount(), int(report->matrix.classes.size()));
        for (int r = 0; r < matrix->rowCount(); ++r)
            for (int c = 0; c < matrix->columnCount(); ++c)
                QCOMPARE(matrix->index(r, c).data(ui::EstateMatrixModel::OutcomeRole).toString(),
                         report->matrix.rows.at(r).cells.value(report->matrix.classes.at(c)));
        const int weakRow = rowOf(*matrix, QStringLiteral("billing-api"));
        const int audience = columnOf(*matrix, QStringLiteral("audience"));
        QVERIFY(weakRow >= 0 && audience >= 0);
        QCOMPARE(matrix->index(weakRow, audience).data(Qt::BackgroundRole).value<QColor>(),
                 ui::tintBackground(QPalette(), ui::Tint::Danger));
        // Verdicts reach the verifier table.
        QCOMPARE(view->verifierModel()->index(2, ui::EstateVerifierModel::VerdictColumn)
                     .data(ui::EstateVerifierModel::VerdictRole).toString(),
                 QStringLiteral("weak"));

        // A click on the weak cell: its tokens with the service's answer, and each one's core trace.
        auto* matrixTable = view->findChild<QTableView*>(QStringLiteral("matrixTable"));
        view->resultTabs()->setCurrentIndex(0);
        matrixTable->scrollTo(matrix->index(weakRow, audience));
        QTest::mouseClick(matrixTable->viewport(), Qt::LeftButton, {},
                          matrixTable->visualRect(matrix->index(weakRow, audience)).center());
        ui::EstateTokensModel* tokens = view->tokensModel();
        QVERIFY(tokens->rowCount() > 0);
        int wrongAudience = -1;
        for (int r = 0; r < tokens->rowCount(); ++r) {
            const probe::ProbeResult& res = tokens->results().at(r);
            QCOMPARE(res.variantClass, QStringLiteral("audience"));
            QVERIFY(res.fingerprint.startsWith(QStringLiteral("sha256:")));
            if (res.variant == u"audience-wrong")
                wrongAudience = r;
        }
        QVERIFY(wrongAudience >= 0);
        const probe::ProbeResult& res = tokens->results().at(wrongAudience);
        QCOMPARE(res.httpStatus, 200);
        QVERIFY(res.result == probe::Outcome::AcceptsRejected);
        QCOMPARE(tokens->index(wrongAudience, ui::EstateTokensModel::StatusColumn).data().toString(), QStringLiteral("200"));
        QCOMPARE(tokens->index(wrongAudience, ui::EstateTokensModel::OutcomeColumn).data().toString(), QStringLiteral("critical"));
        auto* tokensTable = view->findChild<QTableView*>(QStringLiteral("tokensTable"));
        tokensTable->setCurrentIndex(tokens->index(wrongAudience, 0));
        ui::TraceModel* trace = view->traceModel();
        QVERIFY(trace->rowCount() > 0);
        QString firstFailure;
        for (const ui::TraceRow& row : trace->rows()) {
            if (row.verdict == verify::Verdict::Fail) {
                firstFailure = row.stepName;
                break;
            }
        }
        QCOMPARE(firstFailure, res.expectedStep);
        auto* traceTitle = view->findChild<QLabel*>(QStringLiteral("traceTitle"));
        QVERIFY(traceTitle->text().contains(QStringLiteral("answered 200")));
        // The trace shown is the core's trace of the very token sent: same fingerprint (an ES256
        // token minted again would carry another signature, hence another fingerprint), same rows.
        QCOMPARE(res.trace.fingerprint(), res.fingerprint);
        QVERIFY(traceTitle->toolTip().contains(res.fingerprint));
        QVERIFY(traceTitle->text().contains(res.fingerprint.left(19)));
        const QList<ui::TraceRow> expectedRows = ui::traceRows(res.trace);
        QCOMPARE(trace->rowCount(), int(expectedRows.size()));
        for (int r = 0; r < trace->rowCount(); ++r) {
            QCOMPARE(trace->rows().at(r).stepName, expectedRows.at(r).stepName);
            QVERIFY(trace->rows().at(r).verdict == expectedRows.at(r).verdict);
            QCOMPARE(trace->rows().at(r).reason, expectedRows.at(r).reason);
        }
        // Every result of every probe carries the trace of its own token.
        for (const estate::VerifierAssessment& a : report->verifiers) {
            if (!a.evidence.probe)
                continue;
            for (const probe::ProbeResult& pr : a.evidence.probe->results) {
                QCOMPARE(pr.trace.fingerprint(), pr.fingerprint);
                QCOMPARE(pr.trace.accepted, pr.expectedAccepted);
            }
        }

        // The trust chain: every verifier, the weak ones saying how many rejected tokens they accept.
        ui::TrustChainWidget* chain = view->chainWidget();
        QCOMPARE(int(chain->verifiers().size()), 3);
        for (const ui::ChainVerifier& v : chain->verifiers()) {
            const estate::VerifierAssessment* a = assessment(*report, v.name);
            QVERIFY(a);
            QVERIFY(v.verdict == a->verdict);
            if (a->verdict == estate::Verdict::Weak)
                QCOMPARE(ui::chainLabel(v), QStringLiteral("weak: accepts %1 rejected tokens")
                                                .arg(a->evidence.probe->acceptsRejected));
        }
        QVERIFY(!chain->nodeRect(QStringLiteral("edge-envoy")).isEmpty());
        QVERIFY(chain->nodeRect(QStringLiteral("edge-envoy")).left() < chain->nodeRect(QStringLiteral("billing-api")).left());

        if (qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR")) {
            const QString dir = qEnvironmentVariable("JWB_SCREENSHOT_DIR");
            // The Problems panel speaks of the policy, not the estate: closed (Ctrl+M) for the page's room.
            window.problemsPanel()->hide();
            view->resultTabs()->setCurrentIndex(0);
            QTest::qWait(50);
            QImage matrixShot = window.grab().toImage();
            QCOMPARE(matrixShot.size() / matrixShot.devicePixelRatio(), QSize(1280, 800));
            QVERIFY(matrixShot.save(dir + QStringLiteral("/estate.png")));
            view->resultTabs()->setCurrentIndex(1);
            QTest::qWait(50);
            QVERIFY(window.grab().toImage().save(dir + QStringLiteral("/estate-chain.png")));
            view->resultTabs()->setCurrentIndex(0);
        }
    }

    void cancel_stopsTheRunAndKeepsWhatWasProbed()
    {
        QVERIFY2(startServices(), qPrintable(serviceProblems()));
        EstateFixture f;
        // Slow on purpose (4 tokens a second) so Cancel lands in the middle of the first verifier.
        const QString path = f.write(
            f.verifier(QStringLiteral("orders-api"), QStringLiteral("service"), m_strict->baseUrl() + QStringLiteral("/orders"), 4)
            + f.verifier(QStringLiteral("billing-api"), QStringLiteral("service"), m_weak->baseUrl() + QStringLiteral("/billing"), 4));
        ui::EstateView view;
        view.show();
        QVERIFY(view.openFile(path));
        view.findChild<QPushButton*>(QStringLiteral("probeButton"))->click();
        auto* status = view.findChild<QLabel*>(QStringLiteral("statusLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("2 of")), 60000);
        view.findChild<QPushButton*>(QStringLiteral("cancelButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 30000);
        const auto report = view.report();
        QVERIFY(report);
        QVERIFY(report->cancelled);
        const estate::VerifierAssessment* orders = assessment(*report, QStringLiteral("orders-api"));
        QVERIFY(orders && orders->evidence.probe);
        QVERIFY(orders->evidence.probe->sent >= 2);
        QVERIFY(orders->evidence.probe->sent < orders->evidence.probe->results.size());
        const estate::VerifierAssessment* billing = assessment(*report, QStringLiteral("billing-api"));
        QVERIFY(billing && !billing->evidence.probe); // never started
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("summaryLabel"))->text().contains(QStringLiteral("Cancelled")));
        QVERIFY(view.findChild<QPushButton*>(QStringLiteral("probeButton"))->isEnabled());
    }
};

QTEST_MAIN(TestEstateView)
#include "tst_estateview.moc"
