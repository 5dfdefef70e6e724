// SPDX-License-Identifier: Apache-2.0
#include "views/ProblemsPanel.h"

#include "models/PolicyDocument.h"
#include "models/ProblemsGroupModel.h"
#include "models/ProblemsModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

namespace {

// A group this small starts open; larger ones are opened on demand.
constexpr int kOpenGroupUpTo = 5;

} // namespace

namespace jwb::ui {

ProblemsPanel::ProblemsPanel(PolicyDocument* document, QWidget* parent)
    : QDockWidget(tr("Problems"), parent), m_model(new ProblemsModel(document, this))
{
    setObjectName(QStringLiteral("problemsDock"));
    setAccessibleName(tr("Problems"));
    setToolTip(tr("Weaknesses lint finds in the policy, updated as you edit. Double-click one to go to its field."));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);

    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 2, 4, 4);
    m_summary = new QLabel(content);
    m_summary->setObjectName(QStringLiteral("problemsSummary"));
    layout->addWidget(m_summary);
    m_groups = new ProblemsGroupModel(m_model, this);
    m_view = new QTreeView(content);
    m_view->setObjectName(QStringLiteral("problemsView"));
    m_view->setAccessibleName(tr("Problems list"));
    m_view->setToolTip(toolTip());
    m_view->setModel(m_groups);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // One line a row, the whole text in the tooltip: rows of equal height are laid out without
    // measuring each message.
    m_view->setUniformRowHeights(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setExpandsOnDoubleClick(false);
    QHeaderView* header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(ProblemsModel::SeverityColumn, QHeaderView::Interactive);
    header->resizeSection(ProblemsModel::SeverityColumn, 120);
    header->setSectionResizeMode(ProblemsModel::MessageColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ProblemsModel::LocationColumn, QHeaderView::Interactive);
    header->resizeSection(ProblemsModel::LocationColumn, 220);
    header->setSectionResizeMode(ProblemsModel::RuleColumn, QHeaderView::Interactive);
    header->resizeSection(ProblemsModel::RuleColumn, 220);
    layout->addWidget(m_view, 1);
    setWidget(content);

    // activated: double-click or Enter, as the platform defines it.
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex& index) {
        if (m_groups->findingRow(index) < 0) {
            const QModelIndex group = index.siblingAtColumn(0);
            m_view->setExpanded(group, !m_view->isExpanded(group));
            return;
        }
        const QString path = index.data(ProblemsModel::PathRole).toString();
        if (!path.isEmpty())
            emit navigateRequested(path);
    });
    connect(m_groups, &QAbstractItemModel::modelAboutToBeReset, this, &ProblemsPanel::rememberExpanded);
    connect(m_groups, &QAbstractItemModel::modelReset, this, &ProblemsPanel::restoreExpanded);
    restoreExpanded();
    connect(m_model, &ProblemsModel::findingsChanged, this, &ProblemsPanel::updateSummary);
    updateSummary();
}

void ProblemsPanel::rememberExpanded()
{
    m_expanded.clear();
    for (int g = 0; g < m_groups->rowCount(); ++g) {
        const QModelIndex group = m_groups->index(g, 0);
        if (m_view->isExpanded(group))
            m_expanded.insert(group.data(ProblemsGroupModel::RuleRole).toString());
    }
}

void ProblemsPanel::restoreExpanded()
{
    for (int g = 0; g < m_groups->rowCount(); ++g) {
        const QModelIndex group = m_groups->index(g, 0);
        const QString rule = group.data(ProblemsGroupModel::RuleRole).toString();
        const bool open = m_seenRules.contains(rule) ? m_expanded.contains(rule)
                                                     : m_groups->rowCount(group) <= kOpenGroupUpTo;
        m_seenRules.insert(rule);
        if (open)
            m_view->setExpanded(group, true);
    }
}

QModelIndex ProblemsPanel::viewIndexOf(const QModelIndex& finding)
{
    const QModelIndex index = m_groups->indexOfFinding(finding);
    if (index.isValid())
        m_view->setExpanded(index.parent(), true);
    return index;
}

QString ProblemsPanel::summary() const
{
    const int errors = m_model->count(lint::Severity::Error);
    const int warnings = m_model->count(lint::Severity::Warning);
    const int infos = m_model->count(lint::Severity::Info);
    if (errors + warnings + infos == 0)
        return tr("No problems found.");
    const auto count = [](int n, const QString& one, const QString& many) { return n == 1 ? one : many.arg(n); };
    return count(errors, tr("1 error"), tr("%1 errors")) + QStringLiteral(", ")
           + count(warnings, tr("1 warning"), tr("%1 warnings")) + QStringLiteral(", ")
           + count(infos, tr("1 note"), tr("%1 notes"));
}

void ProblemsPanel::updateSummary()
{
    m_summary->setText(summary() + QStringLiteral(". ") + tr("Double-click a problem to go to its field."));
    setWindowTitle(tr("Problems (%1)").arg(m_model->rowCount()));
}

} // namespace jwb::ui
