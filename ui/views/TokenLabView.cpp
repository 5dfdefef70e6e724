// SPDX-License-Identifier: Apache-2.0
#include "views/TokenLabView.h"

#include "dialogs/MintTokenDialog.h"
#include "models/Palette.h"
#include "models/PolicyDocument.h"
#include "models/TraceModel.h"
#include "models/TraceTokensModel.h"
#include "util/Time.h"
#include "widgets/TabChain.h"
#include "widgets/TimelineStrip.h"
#include "widgets/TokenEdit.h"

#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTextBlock>
#include <QTimeZone>
#include <QVBoxLayout>

#include <limits>

namespace jwb::ui {

namespace {

// A token file is a few lines; a log is the corpus view's job. This bound keeps a mistaken drop of
// a huge file from freezing the editor.
constexpr qint64 kMaxTokenFileBytes = 4 * 1024 * 1024;
// Rows of the Verdicts list that stay visible however the splitters are dragged: with several tokens
// the selected one must not hide under the scrollbar.
constexpr int kMinVerdictRows = 4;
const QString kSplitterSettings = QStringLiteral("tokenLab/splitters/");

QFont monospaceFont()
{
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    return mono;
}

QPlainTextEdit* readOnlyJson(const QString& name, const QString& accessible)
{
    auto* edit = new QPlainTextEdit;
    edit->setObjectName(name);
    edit->setAccessibleName(accessible);
    edit->setReadOnly(true);
    edit->setFont(monospaceFont());
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return edit;
}

QWidget* titled(const QString& title, QWidget* content, QLabel** labelOut = nullptr)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* label = new QLabel(title);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    label->setBuddy(content);
    layout->addWidget(label);
    layout->addWidget(content, 1);
    if (labelOut)
        *labelOut = label;
    return box;
}

void setTextKeepingScroll(QPlainTextEdit* edit, const QString& text)
{
    if (edit->toPlainText() != text)
        edit->setPlainText(text);
}

} // namespace

TokenLabView::TokenLabView(QWidget* parent)
    : QWidget(parent), m_policy(std::make_shared<const policy::Policy>())
{
    setObjectName(QStringLiteral("tokenLabView"));
    setAccessibleName(tr("Token Lab"));
    setAcceptDrops(true);
    // One worker: evaluations are short, and a queue of one (cleared on each new request) is enough.
    m_pool.setMaxThreadCount(1);
    m_fixedInstant = QDateTime::currentSecsSinceEpoch();
    buildUi();

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (m_now)
            scheduleEvaluation();
    });
    m_clock.start();
    updateClockControls();
    scheduleEvaluation();
}

TokenLabView::~TokenLabView()
{
    saveSplitters();
    // Results posted after this point are dropped with the object; wait so no worker still runs.
    m_generation = std::numeric_limits<quint64>::max();
    m_pool.clear();
    m_pool.waitForDone();
}

void TokenLabView::buildUi()
{
    // Top bar: input actions, evaluation clock, copy.
    auto* openButton = new QPushButton(tr("Open token file…"));
    openButton->setObjectName(QStringLiteral("openTokenFileButton"));
    openButton->setToolTip(tr("Load tokens from a text file, one per line. You can also drop files here."));
    connect(openButton, &QPushButton::clicked, this, &TokenLabView::openFileDialog);

    auto* mintButton = new QPushButton(tr("Mint test token…"));
    mintButton->setObjectName(QStringLiteral("mintTokenButton"));
    mintButton->setToolTip(tr("Sign a token with a test key generated here, with claims you choose, to try the policy."));
    connect(mintButton, &QPushButton::clicked, this, &TokenLabView::openMintDialog);

    auto* clockLabel = new QLabel(tr("Evaluate at:"));
    m_nowButton = new QRadioButton(tr("Now"));
    m_nowButton->setObjectName(QStringLiteral("clockNowButton"));
    m_nowButton->setToolTip(tr("Evaluate at the current time, re-evaluated every second."));
    m_atButton = new QRadioButton(tr("Instant"));
    m_atButton->setObjectName(QStringLiteral("clockAtButton"));
    m_atButton->setToolTip(tr("Evaluate at a chosen instant (UTC): travel in time to see when a token expires "
                              "or becomes valid (RFC 7519 §4.1.4, §4.1.5)."));
    auto* group = new QButtonGroup(this);
    group->addButton(m_nowButton);
    group->addButton(m_atButton);
    m_atEdit = new QDateTimeEdit;
    m_atEdit->setObjectName(QStringLiteral("evaluationInstantEdit"));
    m_atEdit->setAccessibleName(tr("Evaluation instant (UTC)"));
    m_atEdit->setTimeSpec(Qt::UTC);
    m_atEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_atEdit->setCalendarPopup(true);
    m_atEdit->setDateTime(QDateTime::fromSecsSinceEpoch(m_fixedInstant, Qt::UTC));
    clockLabel->setBuddy(m_atEdit);
    connect(m_nowButton, &QRadioButton::toggled, this, [this](bool on) {
        if (on)
            setEvaluationNow();
    });
    connect(m_atButton, &QRadioButton::toggled, this, [this](bool on) {
        if (on && m_now)
            setEvaluationInstant(QDateTime::currentSecsSinceEpoch()); // start from the time shown
    });
    connect(m_atEdit, &QDateTimeEdit::dateTimeChanged, this, [this](const QDateTime& dt) {
        if (m_now)
            return; // the edit follows the clock while "Now" is chosen
        m_fixedInstant = dt.toSecsSinceEpoch();
        scheduleEvaluation();
    });

    m_copyButton = new QPushButton(tr("Copy trace as Markdown"));
    m_copyButton->setObjectName(QStringLiteral("copyTraceButton"));
    m_copyButton->setToolTip(tr("Copy the selected token's trace for review notes: fingerprint, steps and reasons; "
                                "never the token or its signature."));
    connect(m_copyButton, &QPushButton::clicked, this, &TokenLabView::copyTraceAsMarkdown);

    auto* bar = new QHBoxLayout;
    bar->addWidget(openButton);
    bar->addWidget(mintButton);
    bar->addSpacing(16);
    bar->addWidget(clockLabel);
    bar->addWidget(m_nowButton);
    bar->addWidget(m_atButton);
    bar->addWidget(m_atEdit);
    bar->addStretch(1);
    bar->addWidget(m_copyButton);

    m_verdict = new QLabel;
    m_verdict->setObjectName(QStringLiteral("verdictBanner"));
    m_verdict->setAutoFillBackground(true);
    m_verdict->setMargin(6);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Left: input, list, decoded header and payload.
    m_edit = new TokenEdit;
    connect(m_edit, &QPlainTextEdit::textChanged, this, &TokenLabView::scheduleEvaluation);
    connect(m_edit, &QPlainTextEdit::cursorPositionChanged, this, &TokenLabView::onCursorMoved);
    connect(m_edit, &TokenEdit::filesDropped, this, [this](const QStringList& files) {
        for (const QString& file : files)
            if (!openFile(file))
                break;
    });

    m_tokensModel = new TraceTokensModel(this);
    m_tokensView = new QTableView;
    m_tokensView->setObjectName(QStringLiteral("tokenListView"));
    m_tokensView->setAccessibleName(tr("Tokens and their verdicts"));
    m_tokensView->setModel(m_tokensModel);
    m_tokensView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tokensView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tokensView->verticalHeader()->hide();
    m_tokensView->setWordWrap(false);
    m_tokensView->horizontalHeader()->setSectionResizeMode(TraceTokensModel::LineColumn, QHeaderView::ResizeToContents);
    m_tokensView->horizontalHeader()->setSectionResizeMode(TraceTokensModel::VerdictColumn, QHeaderView::Interactive);
    m_tokensView->horizontalHeader()->setStretchLastSection(true);
    m_tokensView->horizontalHeader()->setSectionResizeMode(TraceTokensModel::FingerprintColumn,
                                                           QHeaderView::ResizeToContents);
    m_tokensView->setColumnWidth(TraceTokensModel::VerdictColumn, 180);
    m_tokensView->verticalHeader()->setDefaultSectionSize(m_tokensView->fontMetrics().height() + 6);
    m_tokensView->setMinimumHeight(m_tokensView->horizontalHeader()->sizeHint().height()
                                   + kMinVerdictRows * m_tokensView->verticalHeader()->defaultSectionSize()
                                   + m_tokensView->horizontalScrollBar()->sizeHint().height()
                                   + 2 * m_tokensView->frameWidth());
    connect(m_tokensView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    selectToken(current.row());
            });

    m_header = readOnlyJson(QStringLiteral("decodedHeader"), tr("Decoded header"));
    m_payload = readOnlyJson(QStringLiteral("decodedPayload"), tr("Decoded payload"));
    // A header is about five lines of JSON, a payload about ten: keep a readable part of each.
    const int line = QFontMetrics(m_header->font()).lineSpacing();
    m_header->setMinimumHeight(4 * line + 2 * m_header->frameWidth() + 8);
    m_payload->setMinimumHeight(6 * line + 2 * m_payload->frameWidth() + 8);
    m_edit->setMinimumHeight(3 * QFontMetrics(m_edit->font()).lineSpacing() + 2 * m_edit->frameWidth() + 8);

    m_timeline = new TimelineStrip;

    m_claims = new QTableWidget(0, 3);
    m_claims->setObjectName(QStringLiteral("claimsTable"));
    m_claims->setAccessibleName(tr("Claims explained"));
    m_claims->setHorizontalHeaderLabels({tr("Claim"), tr("Value"), tr("What the policy does with it")});
    m_claims->verticalHeader()->hide();
    m_claims->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_claims->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_claims->setWordWrap(true);
    m_claims->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_claims->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_claims->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_claims->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_claims->setColumnWidth(1, 200);

    m_traceModel = new TraceModel(this);
    m_traceModel->setPalette(palette());
    m_tokensModel->setPalette(palette());
    m_traceView = new QTableView;
    m_traceView->setObjectName(QStringLiteral("traceView"));
    m_traceView->setAccessibleName(tr("Verification trace"));
    m_traceView->setModel(m_traceModel);
    m_traceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceView->verticalHeader()->hide();
    m_traceView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_traceView->setWordWrap(true);
    QHeaderView* traceHeader = m_traceView->horizontalHeader();
    traceHeader->setSectionResizeMode(TraceModel::VerdictColumn, QHeaderView::ResizeToContents);
    traceHeader->setSectionResizeMode(TraceModel::StepColumn, QHeaderView::ResizeToContents);
    traceHeader->setSectionResizeMode(TraceModel::ReasonColumn, QHeaderView::Stretch);
    traceHeader->setSectionResizeMode(TraceModel::ReferenceColumn, QHeaderView::ResizeToContents);
    traceHeader->setSectionResizeMode(TraceModel::TrustColumn, QHeaderView::ResizeToContents);

    // Top: input and verdicts | decoded header and payload | timeline and claims.
    // Bottom, full width: the trace, the part users read most.
    auto* input = new QSplitter(Qt::Vertical);
    input->setObjectName(QStringLiteral("tokenLabInput"));
    input->addWidget(titled(tr("Tokens (one per line)"), m_edit));
    input->addWidget(titled(tr("Verdicts"), m_tokensView));
    input->setStretchFactor(0, 3);
    input->setStretchFactor(1, 2);
    input->setChildrenCollapsible(false);

    auto* decoded = new QSplitter(Qt::Vertical);
    decoded->setObjectName(QStringLiteral("tokenLabDecoded"));
    decoded->addWidget(titled(tr("Header"), m_header));
    decoded->addWidget(titled(tr("Payload"), m_payload));
    decoded->setStretchFactor(0, 2);
    decoded->setStretchFactor(1, 3);
    decoded->setChildrenCollapsible(false);

    auto* claimsBox = new QWidget;
    auto* claimsLayout = new QVBoxLayout(claimsBox);
    claimsLayout->setContentsMargins(0, 0, 0, 0);
    claimsLayout->addWidget(titled(tr("Timeline (UTC)"), m_timeline));
    QWidget* claimsTable = titled(tr("Claims"), m_claims, &m_claimsTrust);
    m_claimsTrust->setObjectName(QStringLiteral("claimsTrustLabel"));
    m_claimsTrust->setWordWrap(true);
    claimsLayout->addWidget(claimsTable, 1);

    auto* top = new QSplitter(Qt::Horizontal);
    top->setObjectName(QStringLiteral("tokenLabTop"));
    top->addWidget(input);
    top->addWidget(decoded);
    top->addWidget(claimsBox);
    top->setStretchFactor(0, 7);
    top->setStretchFactor(1, 5);
    top->setStretchFactor(2, 9);
    top->setChildrenCollapsible(false);
    top->setSizes({400, 330, 530}); // initial proportions; stretch factors only share extra space

    auto* main = new QSplitter(Qt::Vertical);
    main->setObjectName(QStringLiteral("tokenLabSplitter"));
    main->addWidget(top);
    main->addWidget(titled(tr("Trace"), m_traceView));
    main->setStretchFactor(0, 4);
    main->setStretchFactor(1, 5);
    main->setChildrenCollapsible(false);
    main->setSizes({335, 385}); // room for every pipeline step of the trace without scrolling

    // The user's arrangement is kept across sessions; the minimum sizes above still apply to it.
    m_splitters = {input, decoded, top, main};
    for (QSplitter* splitter : std::as_const(m_splitters)) {
        const QByteArray state = QSettings().value(kSplitterSettings + splitter->objectName()).toByteArray();
        if (!state.isEmpty())
            splitter->restoreState(state);
        connect(splitter, &QSplitter::splitterMoved, this, [this] { saveSplitters(); });
    }

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("tokenLabStatus"));
    m_status->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_verdict);
    layout->addWidget(main, 1);
    layout->addWidget(m_status);

    // Reading order: the token column, the decoded column, the claims, then the trace below them all.
    setTabChain({m_edit, m_tokensView, m_header, m_payload, m_claims, m_traceView});
}

void TokenLabView::setDocument(PolicyDocument* document) { m_document = document; }

void TokenLabView::saveSplitters() const
{
    QSettings settings;
    for (const QSplitter* splitter : m_splitters)
        settings.setValue(kSplitterSettings + splitter->objectName(), splitter->saveState());
}

QString TokenLabView::tokenText() const { return m_edit->toPlainText(); }

qint64 TokenLabView::evaluationInstant() const { return m_now ? QDateTime::currentSecsSinceEpoch() : m_fixedInstant; }

void TokenLabView::setPolicy(const policy::Policy& policy)
{
    m_policy = std::make_shared<const policy::Policy>(policy);
    m_verifier.reset(); // compiled on the worker with the next evaluation
    ++m_policyVersion;
    scheduleEvaluation();
}

void TokenLabView::setTokenText(const QString& text)
{
    m_selected = 0;
    m_settingText = true;
    m_edit->setPlainText(text); // textChanged schedules the evaluation
    m_settingText = false;
}

void TokenLabView::addToken(const QString& token)
{
    const QList<TokenLine> existing = splitTokenLines(m_edit->toPlainText());
    QString text = m_edit->toPlainText();
    if (!text.isEmpty() && !text.endsWith(u'\n'))
        text += u'\n';
    m_selected = static_cast<int>(existing.size());
    m_settingText = true;
    m_edit->setPlainText(text + token.trimmed());
    m_edit->moveCursor(QTextCursor::End);
    m_settingText = false;
}

void TokenLabView::setEvaluationInstant(qint64 unixSeconds)
{
    m_now = false;
    m_fixedInstant = unixSeconds;
    updateClockControls();
    scheduleEvaluation();
}

void TokenLabView::setEvaluationNow()
{
    m_now = true;
    updateClockControls();
    scheduleEvaluation();
}

void TokenLabView::updateClockControls()
{
    const QSignalBlocker b1(m_nowButton);
    const QSignalBlocker b2(m_atButton);
    const QSignalBlocker b3(m_atEdit);
    m_nowButton->setChecked(m_now);
    m_atButton->setChecked(!m_now);
    m_atEdit->setEnabled(!m_now);
    m_atEdit->setDateTime(QDateTime::fromSecsSinceEpoch(evaluationInstant(), Qt::UTC));
}

void TokenLabView::selectToken(int index)
{
    if (index == m_selected)
        return;
    m_selected = index;
    scheduleEvaluation();
}

void TokenLabView::onCursorMoved()
{
    if (m_settingText)
        return;
    const int line = m_edit->cursorLine();
    for (qsizetype i = 0; i < m_result.tokens.size(); ++i) {
        if (m_result.tokens.at(i).line == line) {
            selectToken(static_cast<int>(i));
            return;
        }
    }
}

void TokenLabView::scheduleEvaluation()
{
    const quint64 generation = ++m_generation;
    const QString text = m_edit->toPlainText();
    const qint64 at = evaluationInstant();
    if (m_now && !m_atEdit->hasFocus()) {
        const QSignalBlocker block(m_atEdit);
        m_atEdit->setDateTime(QDateTime::fromSecsSinceEpoch(at, Qt::UTC));
    }
    const int selected = m_selected;
    std::shared_ptr<const verify::PolicyVerifier> verifier = m_verifier;
    std::shared_ptr<const policy::Policy> policy = m_policy;
    const quint64 policyVersion = m_policyVersion;
    m_pool.clear(); // a queued, not yet started evaluation is already stale
    m_pool.start([this, generation, text, at, selected, verifier, policy, policyVersion]() {
        std::shared_ptr<const verify::PolicyVerifier> v = verifier;
        if (!v)
            v = std::make_shared<const verify::PolicyVerifier>(*policy);
        TokenLabResult result = evaluateTokens(*v, text, selected, at);
        result.generation = generation;
        QMetaObject::invokeMethod(
            this, [this, result, v, policyVersion]() { applyResult(result, v, policyVersion); }, Qt::QueuedConnection);
    });
}

void TokenLabView::applyResult(TokenLabResult result, std::shared_ptr<const verify::PolicyVerifier> verifier,
                               quint64 policyVersion)
{
    if (policyVersion == m_policyVersion && !m_verifier)
        m_verifier = std::move(verifier);
    if (result.generation != m_generation)
        return; // a newer evaluation is on its way
    m_result = std::move(result);
    ++m_appliedCount;

    m_tokensModel->setTokens(m_result.tokens);
    if (m_result.selected >= 0) {
        const QSignalBlocker block(m_tokensView->selectionModel());
        const QModelIndex current = m_tokensModel->index(m_result.selected, 0);
        m_tokensView->selectionModel()->setCurrentIndex(
            current, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_tokensView->scrollTo(current);
        m_selected = m_result.selected;
    }
    m_edit->setMarkedLine(m_result.selected >= 0 ? m_result.tokens.at(m_result.selected).line : 0);
    showDetail();
    updateVerdictBanner();

    const auto accepted = std::count_if(m_result.tokens.cbegin(), m_result.tokens.cend(),
                                        [](const TokenSummary& t) { return t.accepted; });
    QString status;
    if (!m_result.tokens.isEmpty())
        status = tr("%n token(s), %1 accepted; evaluated at %2.", nullptr, static_cast<int>(m_result.tokens.size()))
                     .arg(accepted)
                     .arg(util::formatInstant(m_result.at));
    if (m_result.truncated)
        status += tr(" Only the first %1 lines were evaluated; use the corpus view for logs.").arg(kMaxTokenLines);
    if (m_policy->issuers.isEmpty())
        status += tr(" The policy has no issuers, so every token is rejected.");
    showStatus(status.trimmed(), false);
    emit evaluated();
}

void TokenLabView::showDetail()
{
    if (!m_result.detail) {
        m_traceModel->clear();
        m_header->clear();
        m_payload->clear();
        m_claims->setRowCount(0);
        m_claimsTrust->setText(tr("Claims"));
        m_timeline->clear();
        m_copyButton->setEnabled(false);
        return;
    }
    const TokenDetail& detail = *m_result.detail;
    m_copyButton->setEnabled(true);
    m_traceModel->setRows(detail.rows);
    setTextKeepingScroll(m_header, detail.headerText);
    setTextKeepingScroll(m_payload, detail.payloadText);
    m_timeline->setTimes(detail.times);

    m_claims->setRowCount(static_cast<int>(detail.claims.size()));
    for (int r = 0; r < detail.claims.size(); ++r) {
        const ClaimRow& claim = detail.claims.at(r);
        const QString texts[3] = {claim.name, claim.value, claim.meaning};
        for (int c = 0; c < 3; ++c) {
            QTableWidgetItem* item = m_claims->item(r, c);
            if (!item) {
                item = new QTableWidgetItem;
                m_claims->setItem(r, c, item);
            }
            item->setText(texts[c]);
            item->setToolTip(texts[c]);
            QFont f = item->font();
            f.setBold(c == 0 && claim.registered);
            item->setFont(f);
        }
    }
    QPalette pal = m_claimsTrust->palette();
    if (detail.signatureVerified) {
        m_claimsTrust->setText(tr("Claims (signature verified)"));
        pal.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
    } else {
        m_claimsTrust->setText(tr("Claims: %1").arg(TraceModel::untrustedText()));
        pal.setColor(QPalette::WindowText, tintColor(palette(), Tint::Warning));
    }
    m_claimsTrust->setPalette(pal);
}

void TokenLabView::updateVerdictBanner()
{
    QPalette pal = m_verdict->palette();
    if (m_result.tokens.isEmpty()) {
        m_verdict->setText(tr("Paste a token, open a file or drop one here. Each keystroke re-evaluates it under the "
                              "policy being edited."));
        pal.setColor(QPalette::Window, palette().color(QPalette::AlternateBase));
        m_verdict->setPalette(pal);
        return;
    }
    const TokenSummary& token = m_result.tokens.at(m_result.selected);
    QString text;
    if (token.accepted) {
        text = tr("Line %1 (%2): %3.").arg(token.line).arg(token.fingerprint, token.verdictText);
        pal.setColor(QPalette::Window, tintBackground(palette(), Tint::Ok));
    } else {
        QString reason;
        if (m_result.detail)
            if (const verify::TraceStep* failure = m_result.detail->trace.firstFailure())
                reason = failure->reason();
        text = tr("Line %1 (%2): %3").arg(token.line).arg(token.fingerprint, token.verdictText)
               + (reason.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + reason + u'.');
        pal.setColor(QPalette::Window, tintBackground(palette(), Tint::Danger));
    }
    text += tr(" Evaluated at %1.").arg(util::formatInstant(m_result.at));
    m_verdict->setText(text);
    m_verdict->setPalette(pal);
}

QString TokenLabView::traceMarkdown() const
{
    if (!m_result.detail)
        return {};
    QString md = m_result.detail->trace.toMarkdown();
    md += tr("\nEvaluated at %1.\n").arg(util::formatInstant(m_result.at));
    return md;
}

void TokenLabView::copyTraceAsMarkdown()
{
    const QString md = traceMarkdown();
    if (md.isEmpty())
        return;
    QApplication::clipboard()->setText(md);
    showStatus(tr("Trace of %1 copied as Markdown.").arg(m_result.detail->trace.fingerprint()), false);
}

bool TokenLabView::openFile(const QString& path)
{
    QFile file(path);
    const QString name = QFileInfo(path).fileName();
    if (!file.open(QIODevice::ReadOnly)) {
        showStatus(tr("Could not open %1: %2").arg(name, file.errorString()), true);
        return false;
    }
    if (file.size() > kMaxTokenFileBytes) {
        showStatus(tr("%1 is %2 bytes; the Token Lab opens files up to %3 bytes. Use the corpus view for logs.")
                       .arg(name)
                       .arg(file.size())
                       .arg(kMaxTokenFileBytes),
                   true);
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (bytes.contains('\0')) {
        showStatus(tr("%1 is not a text file of tokens.").arg(name), true);
        return false;
    }
    setTokenText(QString::fromUtf8(bytes));
    return true;
}

void TokenLabView::openFileDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open tokens"), {},
                                                      tr("Tokens (*.jwt *.txt *.token);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void TokenLabView::openMintDialog()
{
    auto* dialog = new MintTokenDialog(m_document ? m_document->policy() : *m_policy, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setDocument(m_document);
    dialog->setIssuedAt(evaluationInstant());
    connect(dialog, &MintTokenDialog::openInTokenLab, this, &TokenLabView::addToken);
    dialog->open();
}

void TokenLabView::showStatus(const QString& text, bool error)
{
    m_status->setText(text);
    QPalette pal = m_status->palette();
    pal.setColor(QPalette::WindowText, error ? tintColor(palette(), Tint::Danger) : palette().color(QPalette::WindowText));
    m_status->setPalette(pal);
}

void TokenLabView::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText())
        event->acceptProposedAction();
}

void TokenLabView::dropEvent(QDropEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile() && !openFile(url.toLocalFile()))
                break;
    } else if (mime->hasText()) {
        setTokenText(mime->text());
    }
    event->acceptProposedAction();
}

void TokenLabView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange && m_traceModel) {
        m_traceModel->setPalette(palette());
        m_tokensModel->setPalette(palette());
        showDetail();
        updateVerdictBanner();
    }
    QWidget::changeEvent(event);
}

} // namespace jwb::ui
