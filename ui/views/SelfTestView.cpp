// SPDX-License-Identifier: Apache-2.0
#include "views/SelfTestView.h"

#include "models/Palette.h"
#include "util/Time.h"
#include "widgets/VerdictIcon.h"

#include <QCheckBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <limits>
#include <utility>

namespace jwb::ui {

// ---------------------------------------------------------------------------------------------
// SelfTestModel

SelfTestModel::SelfTestModel(QObject* parent) : QAbstractTableModel(parent) {}

void SelfTestModel::setReport(verify::SelfTestReport report)
{
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

void SelfTestModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (!m_report.variants.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int SelfTestModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_report.variants.size());
}

int SelfTestModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString SelfTestModel::verdictText(const verify::SelfTestVariant& variant)
{
    if (!variant.applicable)
        return tr("n/a");
    if (variant.accepted)
        return tr("ACCEPTED");
    if (const verify::TraceStep* failure = variant.trace.firstFailure())
        return tr("rejected at %1").arg(verify::stepTitle(failure->id));
    return tr("rejected");
}

QString SelfTestModel::whyText(const verify::SelfTestVariant& v)
{
    if (!v.applicable)
        return v.notApplicableReason;
    QString detail;
    if (v.accepted)
        detail = v.finding;
    else if (const verify::TraceStep* failure = v.trace.firstFailure())
        detail = failure->reason();
    if (v.signedWithTestKey)
        detail += tr(" (signed with a generated test key pinned in a copy of the policy)");
    return detail;
}

QVariant SelfTestModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const verify::SelfTestVariant& v = m_report.variants.at(index.row());
    switch (role) {
    case VariantIdRole:
        return v.id;
    case AcceptedRole:
        return v.accepted;
    case ApplicableRole:
        return v.applicable;
    default:
        break;
    }
    const auto column = static_cast<Column>(index.column());
    if (role == SortRole) {
        if (column == VerdictColumn) // the findings first, then rejections, then what does not apply
            return QStringLiteral("%1 %2").arg(v.accepted ? 0 : v.applicable ? 1 : 2).arg(verdictText(v));
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case IssuerColumn:
            return v.issuer;
        case VariantColumn:
            return v.title;
        case VerdictColumn:
            return verdictText(v);
        case DetailColumn:
            return whyText(v);
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::DecorationRole && column == VerdictColumn) {
        if (!v.applicable)
            return verdictIcon(verify::Verdict::Skipped, m_palette);
        return verdictIcon(v.accepted ? verify::Verdict::Fail : verify::Verdict::Pass, m_palette);
    }
    if (role == Qt::ForegroundRole) {
        if (v.accepted && (column == VerdictColumn || column == DetailColumn))
            return tintColor(m_palette, Tint::Danger);
        if (!v.applicable)
            return m_palette.color(QPalette::Disabled, QPalette::Text);
        return {};
    }
    if (role == Qt::BackgroundRole && v.accepted)
        return tintBackground(m_palette, Tint::Danger);
    if (role == Qt::FontRole && v.accepted && column == VerdictColumn) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole) {
        QString tip = QStringLiteral("%1 (%2)\n%3").arg(v.title, v.id, verdictText(v));
        if (v.accepted)
            tip += u'\n' + v.finding;
        if (!v.applicable)
            tip += u'\n' + v.notApplicableReason;
        if (v.signedWithTestKey)
            tip += tr("\nNeeded a genuine signature: signed with a generated test key pinned in a copy of the policy; "
                      "your policy was not changed.");
        return tip;
    }
    return {};
}

QVariant SelfTestModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case IssuerColumn:
        return tr("Issuer");
    case VariantColumn:
        return tr("Attack variant");
    case VerdictColumn:
        return tr("Verdict");
    case DetailColumn:
        return tr("Why");
    case ColumnCount:
        break;
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// SelfTestFilterModel

SelfTestFilterModel::SelfTestFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SelfTestModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void SelfTestFilterModel::setAcceptedOnly(bool on)
{
    if (on == m_acceptedOnly)
        return;
    m_acceptedOnly = on;
    invalidateRowsFilter();
}

bool SelfTestFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    return !m_acceptedOnly
           || sourceModel()->index(sourceRow, 0, sourceParent).data(SelfTestModel::AcceptedRole).toBool();
}

// ---------------------------------------------------------------------------------------------
// SelfTestView

SelfTestView::SelfTestView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("selfTestView"));
    setAccessibleName(tr("Policy self-test"));
    m_pool.setMaxThreadCount(1);

    m_runButton = new QPushButton(tr("Run self-test"));
    m_runButton->setObjectName(QStringLiteral("runSelfTestButton"));
    m_runButton->setToolTip(tr("Mint the known attack tokens against every issuer (alg none, HS256 with a public key, "
                               "embedded jwk, jku/x5u, kid injection, stripped signatures, expired, foreign issuer, "
                               "audience of another row, …) and verify each under this policy. Nothing is changed."));
    connect(m_runButton, &QPushButton::clicked, this, &SelfTestView::run);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName(QStringLiteral("cancelSelfTestButton"));
    m_cancelButton->setEnabled(false);
    connect(m_cancelButton, &QPushButton::clicked, this, &SelfTestView::cancel);

    m_summary = new QLabel(tr("Run the self-test to attack the policy with known adversarial tokens."));
    m_summary->setObjectName(QStringLiteral("selfTestSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_acceptedOnly = new QCheckBox(tr("&Accepted only"));
    m_acceptedOnly->setObjectName(QStringLiteral("acceptedOnlyCheck"));
    m_acceptedOnly->setToolTip(tr("Show only the variants the policy let through: its findings."));

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_runButton);
    bar->addWidget(m_cancelButton);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_acceptedOnly);

    m_model = new SelfTestModel(this);
    m_model->setPalette(palette());
    m_view = new QTableView;
    m_view->setObjectName(QStringLiteral("selfTestTable"));
    m_view->setAccessibleName(tr("Self-test variants"));
    m_proxy = new SelfTestFilterModel(this);
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(SelfTestModel::VerdictColumn, Qt::AscendingOrder); // findings first
    connect(m_acceptedOnly, &QCheckBox::toggled, m_proxy, &SelfTestFilterModel::setAcceptedOnly);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(SelfTestModel::IssuerColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(SelfTestModel::VariantColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(SelfTestModel::VerdictColumn, QHeaderView::Interactive);
    header->setStretchLastSection(true);
    m_view->setColumnWidth(SelfTestModel::IssuerColumn, 210);
    m_view->setColumnWidth(SelfTestModel::VariantColumn, 300);
    m_view->setColumnWidth(SelfTestModel::VerdictColumn, 200);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8); // ~90 variants: keep rows compact
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SelfTestView::showSelectedTrace);

    m_trace = new QPlainTextEdit;
    m_trace->setObjectName(QStringLiteral("selfTestTrace"));
    m_trace->setAccessibleName(tr("Trace of the selected variant"));
    m_trace->setReadOnly(true);
    m_trace->setPlaceholderText(tr("Select a variant to read why in full and see its trace."));
    m_trace->setMinimumHeight(8 * QFontMetrics(m_trace->font()).lineSpacing());
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_trace->setFont(mono);
    m_trace->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_view);
    split->addWidget(m_trace);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({420, 280});
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
}

SelfTestView::~SelfTestView()
{
    if (m_cancel)
        m_cancel->store(true);
    m_generation = std::numeric_limits<quint64>::max();
    m_pool.waitForDone();
}

void SelfTestView::setPolicy(const policy::Policy& policy)
{
    m_policy = policy;
    if (m_haveReport || m_running) {
        m_stale = true;
        updateSummary();
    }
}

void SelfTestView::setEvaluationInstant(qint64 unixSeconds) { m_at = unixSeconds; }

void SelfTestView::run()
{
    if (m_cancel)
        m_cancel->store(true); // a run in progress is for an older policy
    auto cancelFlag = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancelFlag;
    const quint64 generation = ++m_generation;
    m_running = true;
    m_stale = false;
    m_lastAt = m_at.value_or(QDateTime::currentSecsSinceEpoch());
    const qint64 at = m_lastAt;
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_summary->setText(tr("Running the self-test against %n issuer(s)…", nullptr, static_cast<int>(m_policy.issuers.size())));
    m_pool.start([this, policy = m_policy, at, cancelFlag, generation]() {
        verify::SelfTestReport report = verify::runSelfTest(policy, at, cancelFlag.get());
        const bool cancelled = cancelFlag->load();
        QMetaObject::invokeMethod(
            this, [this, report, cancelled, generation]() { onFinished(report, cancelled, generation); },
            Qt::QueuedConnection);
    });
}

void SelfTestView::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void SelfTestView::onFinished(verify::SelfTestReport report, bool cancelled, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_running = false;
    m_cancelled = cancelled;
    m_haveReport = true;
    m_runButton->setEnabled(true);
    m_cancelButton->setEnabled(false);
    m_model->setReport(std::move(report));
    m_trace->clear();
    // Show a trace right away: the first red finding if there is one, else the first variant.
    int row = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (m_model->index(r, 0).data(SelfTestModel::AcceptedRole).toBool()) {
            row = r;
            break;
        }
    }
    const QModelIndex shown = m_proxy->mapFromSource(m_model->index(row, SelfTestModel::VariantColumn));
    if (shown.isValid())
        m_view->setCurrentIndex(shown);
    updateSummary();
    emit finished();
}

QString SelfTestView::summary() const { return m_summary->text(); }

void SelfTestView::updateSummary()
{
    if (!m_haveReport)
        return;
    const verify::SelfTestReport& report = m_model->report();
    int rejected = 0;
    int notApplicable = 0;
    QStringList issuers;
    for (const verify::SelfTestVariant& v : report.variants) {
        if (!v.applicable)
            ++notApplicable;
        else if (!v.accepted)
            ++rejected;
        if (!issuers.contains(v.issuer))
            issuers.append(v.issuer);
    }
    const int accepted = report.acceptedCount();
    QString text = tr("%n variant(s) against %1 issuer(s) at %2: ", nullptr, static_cast<int>(report.variants.size()))
                       .arg(issuers.size())
                       .arg(util::formatInstant(m_lastAt));
    text += accepted > 0 ? tr("%n ACCEPTED (the policy let them through), ", nullptr, accepted)
                         : tr("none accepted, ");
    text += tr("%1 rejected, %2 not applicable.").arg(rejected).arg(notApplicable);
    if (m_cancelled)
        text += tr(" Cancelled: the report is incomplete.");
    if (m_stale)
        text += tr(" The policy changed since: run again.");
    for (const QString& note : report.notes)
        text += u'\n' + note;
    m_summary->setText(text);
    QPalette pal = m_summary->palette();
    pal.setColor(QPalette::WindowText, accepted > 0 ? tintColor(palette(), Tint::Danger) : palette().color(QPalette::WindowText));
    m_summary->setPalette(pal);
}

void SelfTestView::showSelectedTrace()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid() || current.row() >= m_model->report().variants.size()) {
        m_trace->clear();
        return;
    }
    const verify::SelfTestVariant& v = m_model->report().variants.at(current.row());
    if (!v.applicable) {
        m_trace->setPlainText(tr("%1: not applicable. %2").arg(v.title, v.notApplicableReason));
        return;
    }
    // The Why column has room for the start of the text only: it is given here in full.
    m_trace->setPlainText(QStringLiteral("%1 (%2): %3\n%4\n\n").arg(v.title, v.id, SelfTestModel::verdictText(v),
                                                                    SelfTestModel::whyText(v))
                          + v.trace.toText());
}

void SelfTestView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange && m_model) {
        m_model->setPalette(palette());
        updateSummary();
    }
    QWidget::changeEvent(event);
}

} // namespace jwb::ui
