// SPDX-License-Identifier: Apache-2.0
#include "views/CorpusView.h"

#include "corpus/CorpusAnalyzer.h"
#include "models/Palette.h"
#include "util/Time.h"
#include "verify/PolicyVerifier.h"

#include <QAbstractTableModel>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

#include <array>

namespace jwb::ui {

namespace {

constexpr int kProgressRange = 1000;

QString grouped(qint64 n)
{
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(n);
}

// "1 file", "3 files": English plurals without a translation catalogue.
QString counted(qint64 n, const QString& one, const QString& many)
{
    return grouped(n) + u' ' + (n == 1 ? one : many);
}

} // namespace

// The rows of the summary table: rejection buckets by first failing step, or groups by issuer or
// audience. Read-only; reset when a report or the grouping changes.
class CorpusBucketModel final : public QAbstractTableModel {
public:
    enum class Grouping { Step, Issuer, Audience };

    explicit CorpusBucketModel(QObject* parent) : QAbstractTableModel(parent) {}

    void setReport(const corpus::PolicyReport* report)
    {
        beginResetModel();
        m_report = report;
        endResetModel();
    }
    void setGrouping(Grouping g)
    {
        beginResetModel();
        m_grouping = g;
        endResetModel();
    }
    Grouping grouping() const { return m_grouping; }

    int rowCount(const QModelIndex& parent = {}) const override
    {
        if (parent.isValid() || !m_report)
            return 0;
        switch (m_grouping) {
        case Grouping::Step: return static_cast<int>(m_report->byStep.size());
        case Grouping::Issuer: return static_cast<int>(m_report->byIssuer.size());
        case Grouping::Audience: return static_cast<int>(m_report->byAudience.size());
        }
        return 0;
    }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : 4; }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section > 3)
            return {};
        static const std::array<const char*, 4> stepHeaders{"Step", "Reason", "Tokens", "Distinct"};
        static const std::array<const char*, 4> groupHeaders{"", "Tokens", "Accepted", "Rejected"};
        if (m_grouping == Grouping::Step)
            return QString::fromLatin1(stepHeaders[static_cast<size_t>(section)]);
        if (section == 0)
            return m_grouping == Grouping::Issuer ? QStringLiteral("Issuer (iss as read)") : QStringLiteral("Audience");
        return QString::fromLatin1(groupHeaders[static_cast<size_t>(section)]);
    }

    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!index.isValid() || index.row() < 0 || index.row() >= rowCount() || index.column() < 0
            || index.column() > 3)
            return {};
        if (role == Qt::TextAlignmentRole && index.column() >= (m_grouping == Grouping::Step ? 2 : 1))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        if (m_grouping == Grouping::Step) {
            const corpus::StepBucket& b = m_report->byStep.at(index.row());
            if (role == Qt::DisplayRole) {
                switch (index.column()) {
                case 0: return verify::stepIdName(b.step);
                case 1: return QString((b.reasonVaries ? QStringLiteral("e.g. ") : QString()) + b.reason);
                case 2: return grouped(b.count);
                case 3: return grouped(b.distinct);
                default: return {};
                }
            }
            if (role == Qt::ToolTipRole)
                return QStringLiteral("%1 (%2)\n%3").arg(verify::stepTitle(b.step), b.code, b.reason);
            return {};
        }
        const corpus::GroupBucket& g = group(index.row());
        if (role == Qt::DisplayRole) {
            switch (index.column()) {
            case 0: return g.name.isEmpty() ? QStringLiteral("(none)") : g.name;
            case 1: return grouped(g.count);
            case 2: return grouped(g.accepted);
            case 3: return grouped(g.rejected);
            default: return {};
            }
        }
        if (role == Qt::ForegroundRole && index.column() == 3 && g.rejected > 0)
            return tintColor(QPalette(), Tint::Danger);
        return {};
    }

    // The fingerprints and counts of one row, for the drill-down.
    QStringList fingerprints(int row, qint64* distinct) const
    {
        if (!m_report || row < 0 || row >= rowCount())
            return {};
        if (m_grouping == Grouping::Step) {
            *distinct = m_report->byStep.at(row).distinct;
            return m_report->byStep.at(row).fingerprints;
        }
        *distinct = group(row).distinct;
        return group(row).fingerprints;
    }
    QString rowTitle(int row) const
    {
        if (!m_report || row < 0 || row >= rowCount())
            return {};
        if (m_grouping == Grouping::Step)
            return verify::stepIdName(m_report->byStep.at(row).step) + QStringLiteral(" (") + m_report->byStep.at(row).code
                   + u')';
        const QString name = group(row).name;
        return name.isEmpty() ? QStringLiteral("(none)") : name;
    }

private:
    const corpus::GroupBucket& group(int row) const
    {
        return m_grouping == Grouping::Issuer ? m_report->byIssuer.at(row) : m_report->byAudience.at(row);
    }

    const corpus::PolicyReport* m_report = nullptr;
    Grouping m_grouping = Grouping::Step;
};

// Horizontal bars: rejected tokens per first failing step, in pipeline order.
class RejectionChart final : public QWidget {
public:
    explicit RejectionChart(QWidget* parent) : QWidget(parent)
    {
        setMinimumSize(260, 120);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

    void setReport(const corpus::PolicyReport* report)
    {
        m_bars.clear();
        if (report) {
            std::array<qint64, verify::kStepCount> perStep{};
            for (const corpus::StepBucket& b : report->byStep)
                perStep[static_cast<size_t>(b.step)] += b.count;
            for (int i = 0; i < verify::kStepCount; ++i) {
                if (perStep[static_cast<size_t>(i)] > 0)
                    m_bars.append({verify::stepIdName(static_cast<verify::StepId>(i)), perStep[static_cast<size_t>(i)]});
            }
        }
        update();
    }
    int barCount() const { return static_cast<int>(m_bars.size()); }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QPalette pal = palette();
        p.fillRect(rect(), pal.color(QPalette::Base));
        const QFontMetrics fm(font());
        const int margin = 8;
        p.setPen(pal.color(QPalette::Text));
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRect(margin, margin, width() - 2 * margin, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("Rejections by first failing step"));
        p.setFont(font());
        const int top = margin + fm.height() + 6;
        if (m_bars.isEmpty()) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRect(margin, top, width() - 2 * margin, fm.height() * 2), Qt::AlignLeft | Qt::AlignTop,
                       QStringLiteral("No rejections."));
            return;
        }
        int labelWidth = 0;
        qint64 maximum = 1;
        for (const auto& bar : m_bars) {
            labelWidth = std::max(labelWidth, fm.horizontalAdvance(bar.first));
            maximum = std::max(maximum, bar.second);
        }
        const int countWidth = fm.horizontalAdvance(grouped(maximum)) + 8;
        const int rowHeight = std::clamp((height() - top - margin) / static_cast<int>(m_bars.size()), fm.height() + 2,
                                         fm.height() * 2 + 4);
        const int barLeft = margin + labelWidth + 8;
        const int barSpace = std::max(10, width() - barLeft - countWidth - margin);
        const QColor barColor = tintColor(pal, Tint::Danger);
        for (int i = 0; i < m_bars.size(); ++i) {
            const int y = top + i * rowHeight;
            const QRect labelRect(margin, y, labelWidth, rowHeight);
            p.setPen(pal.color(QPalette::Text));
            p.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter, m_bars.at(i).first);
            const int w = std::max(2, static_cast<int>(static_cast<double>(barSpace) * static_cast<double>(m_bars.at(i).second)
                                                       / static_cast<double>(maximum)));
            const QRect barRect(barLeft, y + rowHeight / 6, w, rowHeight - rowHeight / 3);
            p.setPen(Qt::NoPen);
            p.setBrush(barColor);
            p.drawRoundedRect(barRect, 2, 2);
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QRect(barRect.right() + 6, y, countWidth, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                       grouped(m_bars.at(i).second));
        }
    }

private:
    QList<QPair<QString, qint64>> m_bars;
};

CorpusView::CorpusView(QWidget* parent)
    : QWidget(parent)
{
    m_open = new QPushButton(tr("Open corpus…"), this);
    m_open->setObjectName(QStringLiteral("openButton"));
    m_open->setToolTip(tr("Token dumps (one token a line) or gateway logs; several files form one corpus."));
    m_rerun = new QPushButton(tr("Verify again"), this);
    m_rerun->setObjectName(QStringLiteral("rerunButton"));
    m_rerun->setToolTip(tr("Verify the same files under the current policy."));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, kProgressRange);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* top = new QHBoxLayout;
    top->addWidget(m_open);
    top->addWidget(m_rerun);
    top->addWidget(m_progress, 1);
    top->addWidget(m_cancelButton);

    m_summary = new QLabel(tr("Open token dumps or gateway logs to verify every token under this policy."), this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_grouping = new QComboBox(this);
    m_grouping->setObjectName(QStringLiteral("groupingCombo"));
    m_grouping->addItem(tr("Rejections by first failing step"));
    m_grouping->addItem(tr("All tokens by issuer"));
    m_grouping->addItem(tr("All tokens by audience"));

    m_model = new CorpusBucketModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("bucketTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    stretchNameColumn();
    m_table->setWordWrap(false);

    m_chart = new RejectionChart(this);
    m_chart->setObjectName(QStringLiteral("rejectionChart"));

    m_bucketTitle = new QLabel(tr("Select a row to see the fingerprints of its tokens."), this);
    m_bucketTitle->setObjectName(QStringLiteral("bucketTitle"));
    m_bucketTitle->setWordWrap(true);
    m_fingerprints = new QListWidget(this);
    m_fingerprints->setObjectName(QStringLiteral("fingerprintList"));
    m_fingerprints->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_openInLab = new QPushButton(tr("Open in Token Lab"), this);
    m_openInLab->setObjectName(QStringLiteral("openInLabButton"));

    auto* tablePane = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_grouping);
    tableLayout->addWidget(m_table, 1);

    auto* drillPane = new QWidget(this);
    auto* drillLayout = new QVBoxLayout(drillPane);
    drillLayout->setContentsMargins(0, 0, 0, 0);
    drillLayout->addWidget(m_chart, 3);
    drillLayout->addWidget(m_bucketTitle);
    drillLayout->addWidget(m_fingerprints, 2);
    drillLayout->addWidget(m_openInLab, 0, Qt::AlignRight);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(tablePane);
    splitter->addWidget(drillPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_open, &QPushButton::clicked, this, [this] { chooseFiles(); });
    connect(m_rerun, &QPushButton::clicked, this, [this] { rerun(); });
    connect(m_cancelButton, &QPushButton::clicked, this, [this] { cancel(); });
    connect(m_grouping, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_model->setGrouping(static_cast<CorpusBucketModel::Grouping>(index));
        stretchNameColumn();
        showBucket();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { showBucket(); });
    connect(m_fingerprints, &QListWidget::itemDoubleClicked, this, [this] { openSelected(); });
    connect(m_fingerprints, &QListWidget::currentRowChanged, this, [this] { updateActions(); });
    connect(m_openInLab, &QPushButton::clicked, this, [this] { openSelected(); });
    updateActions();
}

CorpusView::~CorpusView()
{
    if (m_worker) {
        m_cancel->store(true);
        m_worker->wait();
        delete m_worker;
    }
}

void CorpusView::stretchNameColumn()
{
    // The reason (by step) or the name (by issuer or audience) takes the room; numbers fit their text.
    const int stretch = m_model->grouping() == CorpusBucketModel::Grouping::Step ? 1 : 0;
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_table->horizontalHeader()->setSectionResizeMode(c, c == stretch ? QHeaderView::Stretch
                                                                          : QHeaderView::ResizeToContents);
}

void CorpusView::setEvaluationInstant(std::optional<qint64> unixSeconds) { m_instant = unixSeconds; }

void CorpusView::setThreads(int threads) { m_threads = std::max(0, threads); }

bool CorpusView::isRunning() const { return m_worker != nullptr; }

const corpus::CorpusReport* CorpusView::report() const { return m_report ? &*m_report : nullptr; }

void CorpusView::setPolicy(const policy::Policy& policy)
{
    m_policy = policy;
    updateActions();
}

void CorpusView::chooseFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open token corpus"), QString(),
                                                            tr("Token dumps and logs (*.txt *.log *.jwt *.json);;All files (*)"));
    if (!paths.isEmpty())
        analyzeFiles(paths);
}

void CorpusView::rerun()
{
    if (!m_files.isEmpty())
        analyzeFiles(m_files);
}

void CorpusView::analyzeFiles(const QStringList& paths)
{
    if (m_worker || paths.isEmpty())
        return;
    if (!m_policy) {
        m_status->setText(tr("Open or create a policy first: the corpus is verified under it."));
        return;
    }
    m_files = paths;
    m_report.reset();
    m_model->setReport(nullptr);
    m_chart->setReport(nullptr);
    m_fingerprints->clear();
    m_bucketTitle->setText(tr("Select a row to see the fingerprints of its tokens."));
    m_summary->clear();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Verifying %1…").arg(counted(paths.size(), tr("file"), tr("files"))));
    m_progress->setValue(0);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_result = std::make_shared<std::optional<Result<corpus::CorpusReport>>>();

    corpus::CorpusOptions options;
    options.atUnixSeconds = m_instant ? *m_instant : QDateTime::currentSecsSinceEpoch();
    options.threads = m_threads;
    options.keepTokens = true; // "Open in Token Lab" needs them; they live only as long as this report
    auto verifier = std::make_shared<const verify::PolicyVerifier>(*m_policy);
    QPointer<CorpusView> self(this);
    m_worker = QThread::create([verifier, paths, options, cancel = m_cancel, result = m_result, self] {
        const corpus::CorpusAnalyzer analyzer(verifier);
        auto progress = [self](const corpus::CorpusProgress& p) {
            // Runs on the worker: hand the numbers to the GUI thread (dropped if the view is gone).
            QMetaObject::invokeMethod(
                self.data(), [self, p] { if (self) self->onProgress(p.fraction(), p.tokens, p.distinct); },
                Qt::QueuedConnection);
        };
        result->emplace(analyzer.analyzeFiles(paths, options, progress, cancel.get()));
    });
    m_worker->setObjectName(QStringLiteral("corpus-analysis"));
    connect(m_worker, &QThread::finished, this, [this] { onFinished(); });
    m_worker->start();
    updateActions();
}

void CorpusView::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_worker)
        m_status->setText(tr("Cancelling…"));
}

void CorpusView::onProgress(double fraction, qint64 tokens, qint64 distinct)
{
    if (!m_worker)
        return;
    if (fraction >= 0)
        m_progress->setValue(static_cast<int>(fraction * kProgressRange));
    m_status->setText(tr("Verifying: %1 tokens read (%2 distinct)…").arg(grouped(tokens), grouped(distinct)));
}

void CorpusView::onFinished()
{
    if (!m_worker)
        return;
    m_worker->wait();
    m_worker->deleteLater();
    m_worker = nullptr;
    const auto result = std::move(*m_result);
    m_result.reset();
    if (!result || !result->ok()) {
        const QString message = result ? result->error().toString() : tr("the analysis did not finish");
        m_status->setText(tr("Cannot verify the corpus: %1").arg(message));
        m_status->setStyleSheet(QStringLiteral("color: %1").arg(tintColor(palette(), Tint::Danger).name()));
        m_progress->setValue(0);
    } else {
        m_report = result->value();
        m_progress->setValue(m_report->complete ? kProgressRange : m_progress->value());
        m_status->setText(m_report->complete ? tr("Done.") : tr("Cancelled."));
        showReport();
    }
    updateActions();
    emit analysisFinished();
}

void CorpusView::showReport()
{
    const corpus::CorpusReport& r = *m_report;
    QString text = tr("Policy <b>%1</b> (revision %2): %3 (%4 distinct) in %5, "
                      "<b>%6 accepted</b>, <b>%7 rejected</b>. Evaluated at %8 in %9 s.")
                       .arg(r.policyA.policyName.toHtmlEscaped())
                       .arg(r.policyA.policyRevision)
                       .arg(counted(r.tokens, tr("token"), tr("tokens")), grouped(r.distinct),
                            counted(r.files.size(), tr("file"), tr("files")), grouped(r.policyA.accepted),
                            grouped(r.policyA.rejected), util::formatInstant(r.atUnixSeconds),
                            QString::number(static_cast<double>(r.elapsedMs) / 1000.0, 'f', 1));
    if (r.linesWithoutToken > 0)
        text += u' ' + tr("%1 without a token.").arg(counted(r.linesWithoutToken, tr("line"), tr("lines")));
    if (r.overlongLines > 0)
        text += u' ' + tr("%1 skipped.").arg(counted(r.overlongLines, tr("overlong line"), tr("overlong lines")));
    if (!r.complete)
        text = tr("<b>Incomplete:</b> the run was cancelled; the counts cover only the %1 tokens verified before "
                  "that.")
                   .arg(grouped(r.tokens))
               + u' ' + text;
    m_summary->setText(text);
    m_model->setReport(&m_report->policyA);
    m_chart->setReport(&m_report->policyA);
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
    showBucket();
}

void CorpusView::showBucket()
{
    m_fingerprints->clear();
    const int row = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1;
    qint64 distinct = 0;
    const QStringList fps = m_model->fingerprints(row, &distinct);
    if (row < 0 || fps.isEmpty()) {
        m_bucketTitle->setText(tr("Select a row to see the fingerprints of its tokens."));
        updateActions();
        return;
    }
    const QString shown = distinct > fps.size() ? tr(", the first %1 shown").arg(fps.size()) : QString();
    m_bucketTitle->setText(tr("<b>%1</b>: %2%3. Double-click one to open it in the Token Lab.")
                               .arg(m_model->rowTitle(row).toHtmlEscaped(),
                                    counted(distinct, tr("distinct token"), tr("distinct tokens")), shown));
    m_fingerprints->addItems(fps);
    m_fingerprints->setCurrentRow(0);
    updateActions();
}

void CorpusView::openSelected()
{
    const QListWidgetItem* item = m_fingerprints->currentItem();
    if (!item || !m_report)
        return;
    const QByteArray token = m_report->tokensByFingerprint.value(item->text());
    if (!token.isEmpty())
        emit openInTokenLab(token);
}

void CorpusView::updateActions()
{
    const bool running = m_worker != nullptr;
    m_open->setEnabled(!running);
    m_rerun->setEnabled(!running && !m_files.isEmpty() && m_policy.has_value());
    m_cancelButton->setEnabled(running);
    m_grouping->setEnabled(!running);
    m_openInLab->setEnabled(!running && m_report && m_fingerprints->currentItem()
                            && m_report->tokensByFingerprint.contains(m_fingerprints->currentItem()->text()));
}

} // namespace jwb::ui
