// SPDX-License-Identifier: Apache-2.0
// Token Lab: paste -> trace, typing and policy edits re-evaluate off the UI thread, the clock flips
// the expiry step, several tokens give a verdict list, Markdown copy is redacted. Tokens are minted
// here with a key generated for the test and pinned in a copy of the sample policy.
#include "UiTestSupport.h"
#include "crypto/Signer.h"
#include "dialogs/MintTokenDialog.h"
#include "models/TraceModel.h"
#include "models/TraceTokensModel.h"
#include "token/CompactToken.h"
#include "util/Time.h"
#include "views/TokenLabView.h"
#include "widgets/TimelineStrip.h"
#include "widgets/TokenEdit.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QDateTimeEdit>
#include <QDir>
#include <QStandardPaths>
#include <QLabel>
#include <QMimeData>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>

using namespace jwb;
using namespace jwb::ui;

namespace {

constexpr int kLifetime = 600;
constexpr int kSampleSkew = 30; // defaults.clock_skew_seconds of the sample policy

qint64 instant(const char* text)
{
    Result<qint64> t = util::parseInstant(QString::fromLatin1(text));
    if (!t)
        qFatal("bad instant %s", text);
    return t.value();
}

QString readResource(const QString& relative)
{
    QFile file(QStringLiteral(JWB_SOURCE_DIR "/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(relative));
    return QString::fromLatin1(file.readAll()).trimmed();
}

QVariant stepData(const TraceModel* model, const QString& stepId, int role)
{
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex idx = model->index(r, 0);
        if (idx.data(TraceModel::StepIdRole).toString() == stepId)
            return model->index(r, 0).data(role);
    }
    return {};
}

verify::Verdict stepVerdict(const TraceModel* model, const QString& stepId)
{
    const QVariant v = stepData(model, stepId, TraceModel::VerdictRole);
    return v.isValid() ? static_cast<verify::Verdict>(v.toInt()) : verify::Verdict::Skipped;
}

} // namespace

class TestTokenLabView final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        Result<crypto::SigningKey> key = crypto::SigningKey::generate(crypto::Algorithm::RS256, QStringLiteral("lab-test"));
        QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().toString()));
        m_key.emplace(std::move(key).value());
        m_policy = uitest::sample();
        m_policy.issuers[0].keys.resolved.append(m_key->publicKey()); // https://login.example.com/
        m_issuedAt = instant("2026-11-01T10:00:00Z");
        m_token = mint(QStringLiteral("payments-api"));
    }

    void init()
    {
        QSettings().remove(QStringLiteral("tokenLab")); // remembered splitter sizes of an earlier test
        m_view = std::make_unique<TokenLabView>();
        m_traceTester = std::make_unique<QAbstractItemModelTester>(m_view->traceModel(),
                                                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_tokensTester = std::make_unique<QAbstractItemModelTester>(
            m_view->tokensModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_view->setPolicy(m_policy);
        m_view->setEvaluationInstant(m_issuedAt + 60);
        m_view->resize(1280, 800);
        m_view->show();
    }

    void cleanup()
    {
        m_traceTester.reset();
        m_tokensTester.reset();
        m_view.reset();
    }

    void paste_showsTraceWithEveryStep()
    {
        auto* edit = m_view->findChild<TokenEdit*>(QStringLiteral("tokenEdit"));
        QVERIFY(edit);
        QApplication::clipboard()->setText(m_token);
        edit->setFocus();
        edit->paste();
        QTRY_COMPARE(m_view->traceModel()->rowCount(), verify::kStepCount);
        QTRY_VERIFY(m_view->result().detail.has_value());
        QVERIFY(m_view->result().detail->trace.accepted);
        QCOMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("signature")), verify::Verdict::Pass);
        QCOMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("expiry")), verify::Verdict::Pass);
        QCOMPARE(m_view->tokensModel()->rowCount(), 1);
        QVERIFY(m_view->tokensModel()->index(0, 0).data(TraceTokensModel::AcceptedRole).toBool());
        // Every row has a reason and an RFC reference.
        for (int r = 0; r < m_view->traceModel()->rowCount(); ++r) {
            QVERIFY(!m_view->traceModel()->index(r, TraceModel::ReasonColumn).data().toString().isEmpty());
            QVERIFY(m_view->traceModel()->index(r, TraceModel::ReferenceColumn).data().toString().startsWith(u"RFC"));
            QVERIFY(!m_view->traceModel()->index(r, TraceModel::VerdictColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
        }
        auto* banner = m_view->findChild<QLabel*>(QStringLiteral("verdictBanner"));
        QVERIFY(banner->text().contains(QStringLiteral("accepted")));
        QVERIFY(banner->text().contains(token::fingerprint(m_token.toLatin1())));
    }

    void decodedViews_prettyPrintedAndClaimsExplained()
    {
        m_view->setTokenText(m_token);
        QTRY_VERIFY(m_view->result().detail.has_value());
        auto* header = m_view->findChild<QPlainTextEdit*>(QStringLiteral("decodedHeader"));
        auto* payload = m_view->findChild<QPlainTextEdit*>(QStringLiteral("decodedPayload"));
        QCOMPARE(header->toPlainText(), QStringLiteral("{\n  \"alg\": \"RS256\",\n  \"typ\": \"JWT\",\n  \"kid\": \"lab-test\"\n}"));
        QVERIFY(payload->toPlainText().contains(QStringLiteral("\n  \"sub\": \"alice\",\n")));

        auto* claims = m_view->findChild<QTableWidget*>(QStringLiteral("claimsTable"));
        QHash<QString, int> rowOf;
        for (int r = 0; r < claims->rowCount(); ++r)
            rowOf.insert(claims->item(r, 0)->text(), r);
        QVERIFY(rowOf.contains(QStringLiteral("exp")));
        // Evaluated 60 s after iat: exp is 9 min ahead, iat 1 min back.
        QCOMPARE(claims->item(rowOf.value(QStringLiteral("exp")), 1)->text(),
                 QStringLiteral("2026-11-01T10:10:00Z (") + util::relativeTime(m_issuedAt + kLifetime, m_issuedAt + 60) + u')');
        QVERIFY(claims->item(rowOf.value(QStringLiteral("iat")), 1)->text().contains(util::relativeTime(m_issuedAt, m_issuedAt + 60)));
        QVERIFY(claims->item(rowOf.value(QStringLiteral("iss")), 2)->text().contains(QStringLiteral("workforce")));
        QVERIFY(claims->item(rowOf.value(QStringLiteral("aud")), 2)->text().contains(QStringLiteral("ledger-api")));
        QVERIFY(claims->item(rowOf.value(QStringLiteral("jti")), 2)->text().contains(QStringLiteral("replay")));

        const TokenTimes& times = m_view->timeline()->times();
        QCOMPARE(times.iat, std::optional<qint64>(m_issuedAt));
        QCOMPARE(times.exp, std::optional<qint64>(m_issuedAt + kLifetime));
        QCOMPARE(times.nbf, std::optional<qint64>());
        QCOMPARE(times.skewSeconds, kSampleSkew);
        QCOMPARE(times.at, m_issuedAt + 60);
    }

    void typing_reevaluatesOnEveryKeystroke()
    {
        m_view->setTokenText(m_token);
        QTRY_VERIFY(m_view->result().detail && m_view->result().detail->trace.accepted);
        auto* edit = m_view->findChild<TokenEdit*>(QStringLiteral("tokenEdit"));
        edit->setFocus();
        edit->moveCursor(QTextCursor::End);
        // A character more in the signature segment: the signature no longer verifies.
        QTest::keyClicks(edit, QStringLiteral("A"));
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("signature")), verify::Verdict::Fail);
        QVERIFY(!m_view->result().tokens.at(0).accepted);
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("signature")), verify::Verdict::Pass);
        QVERIFY(m_view->result().tokens.at(0).accepted);
    }

    void staleResults_dropped_lastInputWins()
    {
        const QString other = mint(QStringLiteral("ledger-api"));
        for (int i = 0; i < 20; ++i)
            m_view->setTokenText(i % 2 ? m_token : other);
        m_view->setTokenText(other);
        QTRY_VERIFY(m_view->result().detail.has_value()
                    && m_view->result().detail->trace.fingerprint() == token::fingerprint(other.toLatin1()));
        // Settle, then check nothing older overwrote it.
        QTest::qWait(100);
        QCOMPARE(m_view->result().detail->trace.fingerprint(), token::fingerprint(other.toLatin1()));
        QCOMPARE(m_view->result().tokens.size(), 1);
    }

    void clockChange_flipsExpiryStep()
    {
        m_view->setTokenText(m_token);
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("expiry")), verify::Verdict::Pass);
        // Past exp plus the skew: expired.
        m_view->setEvaluationInstant(m_issuedAt + kLifetime + kSampleSkew + 1);
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("expiry")), verify::Verdict::Fail);
        QCOMPARE(stepData(m_view->traceModel(), QStringLiteral("expiry"), TraceModel::CodeRole).toString(),
                 QStringLiteral("ERR_EXPIRED"));
        // Through the widget: back to one minute after iat.
        auto* edit = m_view->findChild<QDateTimeEdit*>(QStringLiteral("evaluationInstantEdit"));
        QVERIFY(edit->isEnabled());
        edit->setDateTime(QDateTime::fromSecsSinceEpoch(m_issuedAt + 60, Qt::UTC));
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("expiry")), verify::Verdict::Pass);
        QCOMPARE(m_view->evaluationInstant(), m_issuedAt + 60);
    }

    void clockNow_ticksAndUsesCurrentTime()
    {
        m_view->setTokenText(m_token);
        auto* now = m_view->findChild<QRadioButton*>(QStringLiteral("clockNowButton"));
        now->click();
        QVERIFY(m_view->isEvaluatingNow());
        QVERIFY(!m_view->findChild<QDateTimeEdit*>(QStringLiteral("evaluationInstantEdit"))->isEnabled());
        // The token was minted for 2026-11-01; "now" is the real clock, so the verdict follows it.
        const quint64 before = m_view->appliedCount();
        QTRY_VERIFY_WITH_TIMEOUT(m_view->appliedCount() >= before + 2, 5000); // re-evaluated by the ticking clock
        QVERIFY(qAbs(m_view->result().at - QDateTime::currentSecsSinceEpoch()) <= 2);
    }

    void policyEdit_updatesTrace()
    {
        m_view->setTokenText(m_token);
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("audience")), verify::Verdict::Pass);
        policy::Policy edited = m_policy;
        edited.issuers[0].audiences.removeAll(QStringLiteral("payments-api"));
        m_view->setPolicy(edited);
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("audience")), verify::Verdict::Fail);
        QCOMPARE(stepData(m_view->traceModel(), QStringLiteral("audience"), TraceModel::CodeRole).toString(),
                 QStringLiteral("ERR_AUD_NOT_BOUND"));
        QVERIFY(m_view->tokensModel()->index(0, TraceTokensModel::VerdictColumn).data().toString().contains(QStringLiteral("Audience")));
        m_view->setPolicy(m_policy);
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("audience")), verify::Verdict::Pass);
    }

    void untrustedSteps_visiblyMarked()
    {
        // A signature that fails: the issuer was still read (untrusted) to pick the keys.
        QString forged = m_token;
        forged.chop(4);
        forged += QStringLiteral("AAAA");
        m_view->setTokenText(forged);
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("signature")), verify::Verdict::Fail);
        QVERIFY(stepData(m_view->traceModel(), QStringLiteral("issuer"), TraceModel::UntrustedRole).toBool());
        int issuerRow = -1;
        for (int r = 0; r < m_view->traceModel()->rowCount(); ++r)
            if (m_view->traceModel()->index(r, 0).data(TraceModel::StepIdRole).toString() == QLatin1String("issuer"))
                issuerRow = r;
        QCOMPARE(m_view->traceModel()->index(issuerRow, TraceModel::TrustColumn).data().toString(), QStringLiteral("untrusted"));
        QVERIFY(m_view->traceModel()->index(issuerRow, TraceModel::TrustColumn).data(Qt::ToolTipRole).toString().contains(
            QStringLiteral("untrusted: read before the signature was verified")));
        auto* trust = m_view->findChild<QLabel*>(QStringLiteral("claimsTrustLabel"));
        QVERIFY(trust->text().contains(QStringLiteral("untrusted: read before the signature was verified")));
    }

    void severalTokens_listWithVerdictColumn()
    {
        const QString expired = mint(QStringLiteral("payments-api"), m_issuedAt - 7200);
        m_view->setTokenText(m_token + QStringLiteral("\n\nBearer ") + expired + QStringLiteral("\nnot-a-token\n"));
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 3);
        const TraceTokensModel* list = m_view->tokensModel();
        QCOMPARE(list->index(0, TraceTokensModel::LineColumn).data().toInt(), 1);
        QCOMPARE(list->index(1, TraceTokensModel::LineColumn).data().toInt(), 3);
        QVERIFY(list->index(0, 0).data(TraceTokensModel::AcceptedRole).toBool());
        QVERIFY(!list->index(1, 0).data(TraceTokensModel::AcceptedRole).toBool());
        QCOMPARE(list->index(1, 0).data(TraceTokensModel::FailureCodeRole).toString(), QStringLiteral("ERR_EXPIRED"));
        QCOMPARE(list->index(2, 0).data(TraceTokensModel::FailureCodeRole).toString(), QStringLiteral("ERR_TOKEN_SEGMENTS"));
        QVERIFY(list->index(1, TraceTokensModel::VerdictColumn).data().toString().contains(QStringLiteral("Expiry")));

        auto* listView = m_view->findChild<QTableView*>(QStringLiteral("tokenListView"));
        listView->setCurrentIndex(list->index(1, TraceTokensModel::VerdictColumn));
        QTRY_COMPARE(stepVerdict(m_view->traceModel(), QStringLiteral("expiry")), verify::Verdict::Fail);
        QCOMPARE(m_view->selectedToken(), 1);
        QCOMPARE(m_view->findChild<TokenEdit*>(QStringLiteral("tokenEdit"))->markedLine(), 3);
    }

    void addToken_appendsLineAndSelectsIt()
    {
        m_view->setTokenText(m_token);
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 1);
        const QString second = mint(QStringLiteral("ledger-api"));
        m_view->addToken(second); // what "Open in Token Lab" of the mint dialog does
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 2);
        QTRY_VERIFY(m_view->result().detail && m_view->result().detail->trace.fingerprint() == token::fingerprint(second.toLatin1()));
        QCOMPARE(m_view->selectedToken(), 1);
        QCOMPARE(m_view->tokenText(), m_token + u'\n' + second);
    }

    void dropFile_loadsItsTokens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dropped.jwt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(m_token.toLatin1() + '\n');
        file.close();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_view.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_view.get(), &drop);
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 1);
        QTRY_VERIFY(m_view->result().detail && m_view->result().detail->trace.accepted);

        // Dropped on the editor, a file is loaded too, not pasted as its URL.
        auto* edit = m_view->findChild<TokenEdit*>(QStringLiteral("tokenEdit"));
        QSignalSpy dropped(edit, &TokenEdit::filesDropped);
        const QPoint at = edit->viewport()->rect().center();
        QDragEnterEvent editEnter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(edit->viewport(), &editEnter);
        QDragMoveEvent editMove(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(edit->viewport(), &editMove);
        QDropEvent editDrop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(edit->viewport(), &editDrop);
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(dropped.at(0).at(0).toStringList(), QStringList{path});
        QVERIFY(!m_view->tokenText().contains(QStringLiteral("file:")));
    }

    void mintDialog_opensTokenInLab()
    {
        m_view->findChild<QPushButton*>(QStringLiteral("mintTokenButton"))->click();
        auto* dialog = m_view->findChild<MintTokenDialog*>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->findChild<QComboBox*>(QStringLiteral("issuerCombo"))->setCurrentText(QStringLiteral("https://login.example.com/"));
        dialog->findChild<QPushButton*>(QStringLiteral("openInTokenLabButton"))->setEnabled(true);
        dialog->findChild<QPushButton*>(QStringLiteral("openInTokenLabButton"))->click();
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 1);
        // Minted at the lab's evaluation instant with a key the policy does not hold: refused at key selection.
        QTRY_VERIFY(m_view->result().detail.has_value());
        QCOMPARE(m_view->result().detail->trace.firstFailure()->id, verify::StepId::Key);
        QCOMPARE(m_view->timeline()->times().iat, std::optional<qint64>(m_issuedAt + 60));
    }

    void copyTraceAsMarkdown_redacted()
    {
        m_view->setTokenText(m_token);
        QTRY_VERIFY(m_view->result().detail.has_value());
        QApplication::clipboard()->clear();
        m_view->findChild<QPushButton*>(QStringLiteral("copyTraceButton"))->click();
        const QString md = QApplication::clipboard()->text();
        QVERIFY(md.contains(token::fingerprint(m_token.toLatin1())));
        QVERIFY(md.contains(QStringLiteral("| `signature` | pass |")));
        const QString signature = m_token.section(u'.', 2);
        QVERIFY(!md.contains(signature));
        QVERIFY(!md.contains(m_token.section(u'.', 1, 1)));
    }

    void openFile_loadsTokens_andReportsErrors()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("tokens.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write((m_token + u'\n' + mint(QStringLiteral("ledger-api"))).toLatin1());
        file.close();
        QVERIFY(m_view->openFile(path));
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 2);

        QVERIFY(!m_view->openFile(dir.filePath(QStringLiteral("missing.jwt"))));
        auto* status = m_view->findChild<QLabel*>(QStringLiteral("tokenLabStatus"));
        QVERIFY(status->text().contains(QStringLiteral("missing.jwt")));
        QCOMPARE(m_view->tokensModel()->rowCount(), 2); // the input is kept
    }

    void sampleTokens_atFixedInstant()
    {
        m_view->setPolicy(uitest::sample());
        m_view->setEvaluationInstant(instant("2026-11-01T10:10:00Z"));
        m_view->setTokenText(readResource(QStringLiteral("resources/tokens/sample-valid.jwt")) + u'\n'
                             + readResource(QStringLiteral("resources/tokens/sample-expired.jwt")));
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 2);
        QTRY_VERIFY(m_view->result().detail.has_value());
        QVERIFY(m_view->result().tokens.at(0).accepted);
        QCOMPARE(m_view->result().tokens.at(1).failureCode, QStringLiteral("ERR_EXPIRED"));
    }

    // The texts are the verifier's reading (tests/core/tst_tokenreading.cpp explains every kind of
    // refused segment): the boxes show that reading, each its own segment.
    void garbageToken_eachBoxShowsItsOwnSegment()
    {
        // {"alg":"RS256"} . not base64url . signature
        m_view->setTokenText(QStringLiteral("eyJhbGciOiJSUzI1NiJ9.@@@@.c2ln"));
        QTRY_VERIFY(m_view->result().detail.has_value());
        const TokenDetail& detail = *m_view->result().detail;
        QVERIFY(!m_view->result().tokens.at(0).accepted);
        QVERIFY(detail.trace.reading);
        const QString headerText = m_view->findChild<QPlainTextEdit*>(QStringLiteral("decodedHeader"))->toPlainText();
        const QString payloadText = m_view->findChild<QPlainTextEdit*>(QStringLiteral("decodedPayload"))->toPlainText();
        QCOMPARE(headerText, QStringLiteral("{\n  \"alg\": \"RS256\"\n}"));
        QCOMPARE(headerText, detail.trace.reading->headerText);
        QCOMPARE(payloadText, detail.trace.reading->payloadText);
        QVERIFY2(payloadText.contains(QStringLiteral("payload segment is not valid base64url")), qPrintable(payloadText));
        QVERIFY(!payloadText.contains(QStringLiteral("header segment")));
    }

    void severalTokens_verdictsKeepFourRowsAndTheSelectedOneVisible()
    {
        // The Token Lab page's share of a 1024x700 window (menu, tabs, Problems panel, status bar taken).
        m_view->resize(1010, 470);
        QStringList lines;
        for (int i = 0; i < 9; ++i)
            lines.append(mint(QStringLiteral("payments-api"), m_issuedAt + i));
        m_view->setTokenText(lines.join(u'\n'));
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 9);
        auto* list = m_view->findChild<QTableView*>(QStringLiteral("tokenListView"));
        // Drag every splitter as far as it goes against the list: its minimum holds.
        for (QSplitter* splitter : m_view->findChildren<QSplitter*>())
            splitter->setSizes(QList<int>(splitter->count(), 1));
        m_view->selectToken(8);
        QTRY_COMPARE(m_view->result().selected, 8);
        QApplication::processEvents();
        const int rowHeight = list->rowHeight(0);
        QVERIFY(rowHeight > 0);
        QVERIFY2(list->viewport()->height() >= 4 * rowHeight,
                 qPrintable(QStringLiteral("%1 < 4 x %2").arg(list->viewport()->height()).arg(rowHeight)));
        QTRY_VERIFY(list->viewport()->rect().contains(list->visualRect(list->model()->index(8, 1))));
        for (const char* name : {"decodedHeader", "decodedPayload"}) {
            auto* box = m_view->findChild<QPlainTextEdit*>(QLatin1String(name));
            QVERIFY2(box->height() >= 4 * box->fontMetrics().lineSpacing(), name);
        }
    }

    void splitterSizes_rememberedAcrossSessions()
    {
        m_view->resize(1280, 800);
        auto* top = m_view->findChild<QSplitter*>(QStringLiteral("tokenLabTop"));
        QVERIFY(top);
        QTRY_VERIFY(top->sizes().value(0) > 0);
        QList<int> sizes = top->sizes();
        sizes[0] += 120;
        sizes[2] -= 120;
        top->setSizes(sizes);
        const QList<int> chosen = top->sizes();
        m_traceTester.reset();
        m_tokensTester.reset();
        m_view.reset(); // closing the Token Lab keeps the arrangement
        TokenLabView again;
        again.resize(1280, 800);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        const QList<int> restored = again.findChild<QSplitter*>(QStringLiteral("tokenLabTop"))->sizes();
        QCOMPARE(restored.size(), chosen.size());
        for (int i = 0; i < chosen.size(); ++i)
            QVERIFY2(std::abs(restored.at(i) - chosen.at(i)) <= 2,
                     qPrintable(QStringLiteral("pane %1: %2 vs %3").arg(i).arg(restored.at(i)).arg(chosen.at(i))));
        m_view = std::make_unique<TokenLabView>(); // cleanup() expects one
    }

    void screenshot_renders1280x800()
    {
        QTemporaryDir temp;
        const QString dir = qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR") ? qEnvironmentVariable("JWB_SCREENSHOT_DIR")
                                                                             : temp.path();
        m_view->setPolicy(uitest::sample());
        m_view->setEvaluationInstant(instant("2026-11-01T10:10:00Z"));
        m_view->setTokenText(readResource(QStringLiteral("resources/tokens/sample-valid.jwt")) + u'\n'
                             + readResource(QStringLiteral("resources/tokens/sample-expired.jwt")));
        QTRY_COMPARE(m_view->tokensModel()->rowCount(), 2);
        m_view->selectToken(1);
        QTRY_VERIFY(m_view->result().selected == 1 && m_view->result().detail.has_value());
        m_view->resize(1280, 800);
        QTest::qWait(50);
        const QPixmap shot = m_view->grab();
        QCOMPARE(shot.size() / shot.devicePixelRatio(), QSize(1280, 800));
        QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("tokenlab.png"))));
    }

private:
    QString mint(const QString& audience, std::optional<qint64> issuedAt = {}) const
    {
        const qint64 iat = issuedAt.value_or(m_issuedAt);
        const QByteArray header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"lab-test\"}";
        const QByteArray payload = QStringLiteral("{\"iss\":\"https://login.example.com/\",\"sub\":\"alice\",\"aud\":\"%1\",\"iat\":%2,"
                                                      "\"exp\":%3,\"jti\":\"t-1\"}")
                                       .arg(audience)
                                       .arg(iat)
                                       .arg(iat + kLifetime)
                                       .toUtf8();
        return QString::fromLatin1(crypto::mintCompact(header, payload, &*m_key, crypto::Algorithm::RS256));
    }

    std::optional<crypto::SigningKey> m_key;
    policy::Policy m_policy;
    qint64 m_issuedAt = 0;
    QString m_token;
    std::unique_ptr<TokenLabView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_traceTester;
    std::unique_ptr<QAbstractItemModelTester> m_tokensTester;
};

QTEST_MAIN(TestTokenLabView)
#include "tst_tokenlabview.moc"
