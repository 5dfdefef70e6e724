// SPDX-License-Identifier: Apache-2.0
#include "views/EstateView.h"

#include "estate/Advisories.h"
#include "estate/EstateCheck.h"
#include "models/EstateDocument.h"
#include "models/EstateMatrixModel.h"
#include "models/EstateTokensModel.h"
#include "models/EstateVerifierModel.h"
#include "models/Palette.h"
#include "models/TraceEvaluation.h"
#include "models/TraceModel.h"
#include "widgets/TrustChainWidget.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace jwb::ui {

namespace {

constexpr int kProgressRange = 1000;
constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("estate/recentFiles");

// The kind column offers the core's kinds instead of free text.
class KindDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const override
    {
        auto* combo = new QComboBox(parent);
        combo->setObjectName(QStringLiteral("kindEditor"));
        combo->addItems(estate::verifierKindNames());
        return combo;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override
    {
        auto* combo = static_cast<QComboBox*>(editor);
        combo->setCurrentText(index.data(Qt::EditRole).toString());
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override
    {
        model->setData(index, static_cast<QComboBox*>(editor)->currentText(), Qt::EditRole);
    }
};

QLabel* legendSwatch(const QString& outcome, QWidget* parent)
{
    // "critical" is both the cell's word and its title: the legend says what it means instead.
    const QString title = outcomeShort(outcome) == outcomeTitle(outcome) ? outcomeMeaning(outcome) : outcomeTitle(outcome);
    auto* label = new QLabel(QStringLiteral("%1  %2").arg(outcomeShort(outcome), title), parent);
    label->setObjectName(QStringLiteral("legend_") + outcome);
    label->setToolTip(outcomeMeaning(outcome));
    label->setAutoFillBackground(true);
    label->setMargin(3);
    label->setStyleSheet(QStringLiteral("background: %1; border: 1px solid %2; padding: 1px 6px;")
                             .arg(outcomeBackground(parent->palette(), outcome).name(),
                                  parent->palette().color(QPalette::Mid).name()));
    return label;
}

QWidget* titled(const QString& title, QWidget* content, QLabel** labelOut, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(title, box);
    label->setWordWrap(true);
    layout->addWidget(label);
    layout->addWidget(content, 1);
    if (labelOut)
        *labelOut = label;
    return box;
}

} // namespace

// What the worker hands back: the core's report (or why it could not run). Each probe result
// carries the core's trace of the token it sent.
struct EstateView::RunOutput {
    std::optional<Result<estate::EstateReport>> result;
};

EstateView::EstateView(QWidget* parent)
    : QWidget(parent),
      m_document(new EstateDocument(this)),
      m_verifierModel(new EstateVerifierModel(m_document, this)),
      m_matrixModel(new EstateMatrixModel(this)),
      m_tokensModel(new EstateTokensModel(this)),
      m_traceModel(new TraceModel(this))
{
    m_openAction = new QAction(tr("Open &Estate…"), this);
    m_openAction->setObjectName(QStringLiteral("openEstateAction"));
    m_openAction->setStatusTip(tr("Open an estate file (jwt_estate: 1): every verifier of one trust chain."));
    connect(m_openAction, &QAction::triggered, this, [this] { chooseFile(); });

    m_openButton = new QPushButton(tr("Open estate…"), this);
    m_openButton->setObjectName(QStringLiteral("openButton"));
    m_openButton->setToolTip(m_openAction->statusTip());
    m_recentButton = new QToolButton(this);
    m_recentButton->setObjectName(QStringLiteral("recentButton"));
    m_recentButton->setText(tr("Recent"));
    m_recentButton->setPopupMode(QToolButton::InstantPopup);
    m_recentMenu = new QMenu(m_recentButton);
    m_recentMenu->setObjectName(QStringLiteral("recentEstateMenu"));
    m_recentButton->setMenu(m_recentMenu);
    m_saveButton = new QPushButton(tr("Save"), this);
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_saveAsButton = new QPushButton(tr("Save as…"), this);
    m_saveAsButton->setObjectName(QStringLiteral("saveAsButton"));
    // The estate's own undo stack: its actions live on this page, apart from the policy's Edit menu.
    QAction* undo = m_document->undoStack()->createUndoAction(this, tr("Undo"));
    undo->setObjectName(QStringLiteral("estateUndoAction"));
    QAction* redo = m_document->undoStack()->createRedoAction(this, tr("Redo"));
    redo->setObjectName(QStringLiteral("estateRedoAction"));
    m_undoButton = new QToolButton(this);
    m_undoButton->setObjectName(QStringLiteral("undoButton"));
    m_undoButton->setDefaultAction(undo);
    m_redoButton = new QToolButton(this);
    m_redoButton->setObjectName(QStringLiteral("redoButton"));
    m_redoButton->setDefaultAction(redo);
    m_addButton = new QPushButton(tr("Add verifier"), this);
    m_addButton->setObjectName(QStringLiteral("addButton"));
    m_removeButton = new QPushButton(tr("Remove"), this);
    m_removeButton->setObjectName(QStringLiteral("removeButton"));
    m_probeButton = new QPushButton(tr("Probe all"), this);
    m_probeButton->setObjectName(QStringLiteral("probeButton"));
    m_probeButton->setToolTip(tr("Send the policy's probe tokens to every verifier with a probe URL (staging only), "
                                 "compare drift and library advisories, and judge each verifier."));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, kProgressRange);
    m_progress->setValue(0);

    auto* top = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*>{m_openButton, m_recentButton, m_saveButton, m_saveAsButton,
                                                      m_undoButton, m_redoButton, m_addButton, m_removeButton})
        top->addWidget(w);
    top->addSpacing(12);
    top->addWidget(m_probeButton);
    top->addWidget(m_progress, 1);
    top->addWidget(m_cancelButton);

    m_fileLabel = new QLabel(tr("No estate open. An estate file lists every gateway and service that verifies "
                                "the policy's tokens."),
                             this);
    m_fileLabel->setObjectName(QStringLiteral("fileLabel"));
    m_fileLabel->setWordWrap(true);
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: %1").arg(tintColor(palette(), Tint::Danger).name()));
    m_error->hide();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("verifierTable"));
    m_table->setAccessibleName(tr("Verifiers"));
    m_table->setModel(m_verifierModel);
    m_table->setItemDelegateForColumn(EstateVerifierModel::KindColumn, new KindDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(EstateVerifierModel::IssuersColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);

    m_summary = new QLabel(tr("Probe all to fill the matrix: one row per verifier, one column per class of token."),
                           this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_matrix = new QTableView(this);
    m_matrix->setObjectName(QStringLiteral("matrixTable"));
    m_matrix->setAccessibleName(tr("Verifier by variant class matrix"));
    m_matrix->setModel(m_matrixModel);
    m_matrix->setSelectionMode(QAbstractItemView::SingleSelection);
    m_matrix->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matrix->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrix->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrix->setWordWrap(false);

    auto* legend = new QHBoxLayout;
    legend->addWidget(new QLabel(tr("Legend:"), this));
    for (const QString& outcome : legendOutcomes())
        legend->addWidget(legendSwatch(outcome, this));
    auto* notProbed = new QLabel(tr("\u2013 not probed"), this);
    notProbed->setToolTip(outcomeMeaning(estate::kNotProbed));
    legend->addWidget(notProbed);
    legend->addStretch(1);

    m_tokens = new QTableView(this);
    m_tokens->setObjectName(QStringLiteral("tokensTable"));
    m_tokens->setAccessibleName(tr("Tokens of the selected cell"));
    m_tokens->setModel(m_tokensModel);
    m_tokens->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tokens->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tokens->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tokens->verticalHeader()->hide();
    m_tokens->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tokens->horizontalHeader()->setStretchLastSection(true);
    m_tokens->setWordWrap(false);

    // The trace table as the Token Lab shows it: the same model over the core's trace rows.
    m_traceModel->setPalette(palette());
    m_trace = new QTableView(this);
    m_trace->setObjectName(QStringLiteral("traceView"));
    m_trace->setAccessibleName(tr("Verification trace"));
    m_trace->setModel(m_traceModel);
    m_trace->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_trace->verticalHeader()->hide();
    m_trace->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_trace->setWordWrap(true);
    QHeaderView* traceHeader = m_trace->horizontalHeader();
    traceHeader->setSectionResizeMode(TraceModel::VerdictColumn, QHeaderView::ResizeToContents);
    traceHeader->setSectionResizeMode(TraceModel::StepColumn, QHeaderView::ResizeToContents);
    traceHeader->setSectionResizeMode(TraceModel::ReasonColumn, QHeaderView::Stretch);
    traceHeader->setSectionResizeMode(TraceModel::ReferenceColumn, QHeaderView::Interactive);
    m_trace->setColumnWidth(TraceModel::ReferenceColumn, 130);
    traceHeader->setSectionResizeMode(TraceModel::TrustColumn, QHeaderView::ResizeToContents);

    auto* matrixPane = new QWidget(this);
    auto* matrixLayout = new QVBoxLayout(matrixPane);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    matrixLayout->addWidget(m_summary);
    matrixLayout->addWidget(m_matrix, 1);
    matrixLayout->addLayout(legend);

    auto* detail = new QSplitter(Qt::Horizontal, this);
    detail->setObjectName(QStringLiteral("cellSplitter"));
    detail->addWidget(titled(tr("Click a cell of the matrix to see its tokens."), m_tokens, &m_cellTitle, this));
    detail->addWidget(titled(tr("Core trace of the selected token"), m_trace, &m_traceTitle, this));
    m_cellTitle->setObjectName(QStringLiteral("cellTitle"));
    m_traceTitle->setObjectName(QStringLiteral("traceTitle"));
    // Fingerprints whole on the left; on the right the reasons (long sentences) take what the
    // references, wrapped into a narrower column, leave.
    detail->setStretchFactor(0, 1);
    detail->setStretchFactor(1, 1);

    auto* matrixTab = new QSplitter(Qt::Vertical, this);
    matrixTab->setObjectName(QStringLiteral("matrixTab"));
    matrixTab->addWidget(matrixPane);
    matrixTab->addWidget(detail);
    matrixTab->setStretchFactor(0, 2);
    matrixTab->setStretchFactor(1, 3);

    m_chain = new TrustChainWidget(this);
    m_chain->setObjectName(QStringLiteral("trustChain"));

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("resultTabs"));
    m_tabs->addTab(matrixTab, tr("Matrix"));
    m_tabs->addTab(m_chain, tr("Trust chain"));

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("estateSplitter"));
    splitter->addWidget(m_table);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    // Room for a few verifiers before the table scrolls.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height()
                              + 4 * m_table->verticalHeader()->defaultSectionSize() + 4);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_fileLabel);
    layout->addWidget(m_error);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);

    connect(m_openButton, &QPushButton::clicked, m_openAction, &QAction::trigger);
    connect(m_recentMenu, &QMenu::aboutToShow, this, [this] { rebuildRecentMenu(); });
    connect(m_saveButton, &QPushButton::clicked, this, [this] { saveFile(); });
    connect(m_saveAsButton, &QPushButton::clicked, this, [this] { chooseSaveAs(); });
    connect(m_addButton, &QPushButton::clicked, this, [this] { addVerifier(); });
    connect(m_removeButton, &QPushButton::clicked, this, [this] { removeVerifier(); });
    connect(m_probeButton, &QPushButton::clicked, this, [this] { probeAll(); });
    connect(m_cancelButton, &QPushButton::clicked, this, [this] { cancel(); });
    connect(m_matrix, &QTableView::clicked, this, [this](const QModelIndex& i) { showCell(i.row(), i.column()); });
    connect(m_tokens->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { showTrace(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { updateActions(); });
    connect(m_document, &EstateDocument::changed, this, [this] {
        updateChain();
        updateActions();
    });
    connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, [this] { updateActions(); });
    connect(m_document, &EstateDocument::editRefused, this, [this](const Error& e) {
        showError(tr("Edit refused: %1").arg(e.toString()));
    });
    connect(m_document->undoStack(), &QUndoStack::indexChanged, this, [this] {
        m_error->hide();
    });
    rebuildRecentMenu();
    updateChain();
    updateActions();
}

EstateView::~EstateView()
{
    if (m_worker) {
        m_cancel->store(true);
        m_worker->wait();
        delete m_worker;
    }
}

void EstateView::showError(const QString& text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void EstateView::showStatus(const QString& text) { m_status->setText(text); }

bool EstateView::openFile(const QString& path)
{
    if (m_worker) {
        showError(tr("A check is running: cancel it before opening another estate."));
        return false;
    }
    if (const Status s = m_document->open(path); !s) {
        // The core's error names the file, line and field; nothing of the file was taken.
        showError(tr("Cannot open the estate: %1").arg(s.error().toString()));
        return false;
    }
    showError(QString());
    m_report.reset();
    m_matrixModel->setReport(nullptr);
    m_tokensModel->setResults({});
    m_traceModel->clear();
    m_summary->setText(tr("Probe all to fill the matrix: one row per verifier, one column per class of token."));
    m_progress->setValue(0);
    addRecentFile(m_document->filePath());
    const estate::Estate& e = m_document->estate();
    showStatus(tr("Opened %1 verifiers under policy %2.").arg(e.verifiers.size()).arg(e.policy.name));
    updateChain();
    updateActions();
    return true;
}

bool EstateView::saveFile() { return saveFileAs(m_document->filePath()); }

bool EstateView::saveFileAs(const QString& path)
{
    if (const Status s = m_document->saveAs(path); !s) {
        showError(tr("Cannot save the estate: %1").arg(s.error().toString()));
        return false;
    }
    showError(QString());
    addRecentFile(m_document->filePath());
    showStatus(tr("Saved %1.").arg(QDir::toNativeSeparators(m_document->filePath())));
    updateActions();
    return true;
}

void EstateView::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open estate"), QString(),
                                                      tr("Estate files (*.yaml *.yml *.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void EstateView::chooseSaveAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save estate as"), m_document->filePath(),
                                                      tr("Estate files (*.yaml *.yml *.json)"));
    if (!path.isEmpty())
        saveFileAs(path);
}

QStringList EstateView::recentFiles() const { return QSettings().value(kRecentKey).toStringList(); }

void EstateView::addRecentFile(const QString& path)
{
    QSettings settings;
    QStringList files = settings.value(kRecentKey).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecent)
        files.removeLast();
    settings.setValue(kRecentKey, files);
}

void EstateView::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (const QString& file : files) {
        QAction* a = m_recentMenu->addAction(QFileInfo(file).fileName());
        a->setToolTip(QDir::toNativeSeparators(file));
        connect(a, &QAction::triggered, this, [this, file] { openFile(file); });
    }
    if (files.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

void EstateView::addVerifier()
{
    if (!m_document->isOpen())
        return;
    const int row = m_document->verifierCount();
    if (m_document->insertVerifier(row, m_document->newVerifier())) {
        m_table->setCurrentIndex(m_verifierModel->index(row, EstateVerifierModel::NameColumn));
        m_table->edit(m_table->currentIndex());
    }
}

void EstateView::removeVerifier()
{
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid())
        (void)m_document->removeVerifier(current.row()); // a refusal shows through editRefused
}

void EstateView::probeAll()
{
    if (m_worker || !m_document->isOpen())
        return;
    showError(QString());
    m_lastError.clear();
    m_progress->setValue(0);
    showStatus(tr("Preparing the check…"));
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_output = std::make_shared<RunOutput>();
    const estate::Estate estate = m_document->estate();
    QPointer<EstateView> self(this);
    m_worker = QThread::create([estate, cancel = m_cancel, output = m_output, self] {
        auto advisories = estate::loadBundledAdvisories();
        if (!advisories) {
            output->result.emplace(advisories.error());
            return;
        }
        QString current;
        estate::EstateCheckOptions options;
        options.cancel = cancel.get();
        auto post = [self](int verifier, int total, const QString& name, int done, int tokens) {
            // Runs on the worker: the numbers travel to the GUI thread queued (dropped if the page is gone).
            QMetaObject::invokeMethod(
                self.data(),
                [self, verifier, total, name, done, tokens] {
                    if (self)
                        self->onProgress(verifier, total, name, done, tokens);
                },
                Qt::QueuedConnection);
        };
        int index = 0;
        int count = 0;
        options.onVerifier = [&current, &index, &count, post](const QString& name, int i, int total) {
            current = name;
            index = i;
            count = total;
            post(i, total, name, 0, 0);
        };
        options.onToken = [&current, &index, &count, post](int done, int total) { post(index, count, current, done, total); };
        output->result.emplace(estate::checkEstate(estate, advisories.value(), options));
        if (!output->result->ok())
            return;
    });
    m_worker->setObjectName(QStringLiteral("estate-check"));
    connect(m_worker, &QThread::finished, this, [this] { onFinished(); });
    m_worker->start();
    updateActions();
}

void EstateView::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_worker)
        showStatus(tr("Cancelling…"));
}

void EstateView::onProgress(int verifier, int total, const QString& name, int done, int tokens)
{
    if (!m_worker || total <= 0)
        return;
    const double within = tokens > 0 ? static_cast<double>(done) / tokens : 0.0;
    m_progress->setValue(static_cast<int>((verifier + within) / total * kProgressRange));
    if (m_cancel && m_cancel->load())
        return;
    showStatus(tokens > 0 ? tr("Probing %1 (%2 of %3): %4 of %5 tokens…")
                                .arg(name)
                                .arg(verifier + 1)
                                .arg(total)
                                .arg(done)
                                .arg(tokens)
                          : tr("Checking %1 (%2 of %3)…").arg(name).arg(verifier + 1).arg(total));
}

void EstateView::onFinished()
{
    if (!m_worker)
        return;
    m_worker->wait();
    m_worker->deleteLater();
    m_worker = nullptr;
    const std::shared_ptr<RunOutput> output = std::move(m_output);
    if (!output || !output->result || !output->result->ok()) {
        m_lastError = output && output->result ? output->result->error().toString() : tr("the check did not finish");
        showError(tr("Cannot check the estate: %1").arg(m_lastError));
        showStatus(QString());
        m_progress->setValue(0);
    } else {
        m_report = std::make_shared<const estate::EstateReport>(output->result->value());
        m_matrixModel->setReport(m_report);
        m_verifierModel->setVerdicts(m_report->verifiers);
        m_tokensModel->setResults({});
        m_traceModel->clear();
        m_cellTitle->setText(tr("Click a cell of the matrix to see its tokens."));
        int counts[estate::kVerdictCount] = {};
        for (const estate::VerifierAssessment& a : m_report->verifiers)
            ++counts[static_cast<int>(a.verdict)];
        QString text = tr("%1 verifiers checked: <b>%2 weak</b>, %3 break valid traffic, %4 inconclusive, %5 conform.")
                           .arg(m_report->verifiers.size())
                           .arg(counts[static_cast<int>(estate::Verdict::Weak)])
                           .arg(counts[static_cast<int>(estate::Verdict::BreaksValidTraffic)])
                           .arg(counts[static_cast<int>(estate::Verdict::Inconclusive)])
                           .arg(counts[static_cast<int>(estate::Verdict::Conforms)]);
        if (m_report->cancelled)
            text = tr("<b>Cancelled:</b> tokens not sent are inconclusive.") + u' ' + text;
        m_summary->setText(text);
        m_progress->setValue(m_report->cancelled ? m_progress->value() : kProgressRange);
        showStatus(m_report->cancelled ? tr("Cancelled.") : tr("Done."));
        updateChain();
    }
    updateActions();
    emit probeFinished();
}

void EstateView::showCell(int row, int column)
{
    m_tokensModel->setResults({});
    m_traceModel->clear();
    m_cellVerifier = m_matrixModel->verifierAt(row);
    const QString cls = m_matrixModel->classAt(column);
    if (!m_report || m_cellVerifier.isEmpty() || cls.isEmpty())
        return;
    QList<probe::ProbeResult> results;
    for (const estate::VerifierAssessment& a : m_report->verifiers) {
        if (a.name != m_cellVerifier || !a.evidence.probe)
            continue;
        for (const probe::ProbeResult& r : a.evidence.probe->results) {
            if (r.variantClass == cls)
                results.append(r);
        }
    }
    const QString outcome = m_matrixModel->index(row, column).data(EstateMatrixModel::OutcomeRole).toString();
    m_cellTitle->setText(results.isEmpty()
                             ? tr("%1, %2: no token of this class was probed.").arg(m_cellVerifier, cls)
                             : tr("%1, %2: %3 (%4)").arg(m_cellVerifier, cls, outcomeTitle(outcome), outcomeMeaning(outcome)));
    m_tokensModel->setResults(results);
    m_matrix->setCurrentIndex(m_matrixModel->index(row, column));
    if (!results.isEmpty())
        m_tokens->setCurrentIndex(m_tokensModel->index(0, 0));
}

void EstateView::showTrace()
{
    const QModelIndex current = m_tokens->currentIndex();
    if (!current.isValid() || current.row() >= m_tokensModel->rowCount()) {
        m_traceModel->clear();
        m_traceTitle->setText(tr("Core trace of the selected token"));
        return;
    }
    const probe::ProbeResult& r = m_tokensModel->results().at(current.row());
    if (r.trace.steps.isEmpty()) {
        m_traceModel->clear();
        m_traceTitle->setText(tr("No core trace for %1.").arg(r.variant));
        return;
    }
    // The trace of the very token the verifier answered: its fingerprint is the result's.
    m_traceModel->setRows(traceRows(r.trace));
    // The step that decides the token is what the reader came for: brought into view and selected.
    for (int row = 0; row < m_traceModel->rowCount(); ++row) {
        if (m_traceModel->rows().at(row).verdict == verify::Verdict::Fail) {
            m_trace->selectRow(row);
            m_trace->scrollTo(m_traceModel->index(row, 0), QAbstractItemView::PositionAtCenter);
            break;
        }
    }
    m_traceTitle->setText(tr("Core trace of %1 (%6): the policy %2; %3 answered %4 (%5).")
                              .arg(r.variant,
                                   r.expectedAccepted ? tr("accepts it") : tr("rejects it at %1").arg(r.expectedStep),
                                   m_cellVerifier,
                                   r.httpStatus > 0 ? QString::number(r.httpStatus) : tr("nothing"),
                                   outcomeTitle(probe::outcomeName(r.result)),
                                   r.fingerprint.left(19) + u'\u2026'));
    m_traceTitle->setToolTip(tr("Fingerprint of the token sent: %1").arg(r.fingerprint));
}

void EstateView::updateChain()
{
    if (!m_document->isOpen()) {
        m_chain->setChain({}, {});
        return;
    }
    const estate::Estate& e = m_document->estate();
    QStringList issuers;
    for (const policy::Issuer& i : e.policy.issuers)
        issuers << i.issuer;
    m_chain->setChain(issuers, chainVerifiers(e, m_report.get()));
}

void EstateView::updateActions()
{
    const bool open = m_document->isOpen();
    const bool running = m_worker != nullptr;
    m_openButton->setEnabled(!running);
    m_openAction->setEnabled(!running);
    m_recentButton->setEnabled(!running);
    m_saveButton->setEnabled(open && !running && m_document->isModified());
    m_saveAsButton->setEnabled(open && !running);
    m_undoButton->setEnabled(!running && m_document->undoStack()->canUndo());
    m_redoButton->setEnabled(!running && m_document->undoStack()->canRedo());
    m_addButton->setEnabled(open && !running);
    m_removeButton->setEnabled(open && !running && m_table->currentIndex().isValid());
    m_table->setEditTriggers(running ? QAbstractItemView::NoEditTriggers
                                     : QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                           | QAbstractItemView::AnyKeyPressed);
    m_probeButton->setEnabled(open && !running);
    m_cancelButton->setEnabled(running);
    if (open)
        m_fileLabel->setText(tr("<b>%1</b>%2 \u2014 %3, policy %4")
                                 .arg(m_document->estate().name.isEmpty() ? tr("estate") : m_document->estate().name.toHtmlEscaped(),
                                      m_document->isModified() ? QStringLiteral(" *") : QString(),
                                      QDir::toNativeSeparators(m_document->filePath()).toHtmlEscaped(),
                                      QFileInfo(m_document->estate().policyPath).fileName().toHtmlEscaped()));
}

} // namespace jwb::ui
