// SPDX-License-Identifier: Apache-2.0
#include "views/ProblemsPanel.h"

#include "models/PolicyDocument.h"
#include "models/ProblemsModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

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
    m_view = new QTableView(content);
    m_view->setObjectName(QStringLiteral("problemsView"));
    m_view->setAccessibleName(tr("Problems list"));
    m_view->setToolTip(toolTip());
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(true);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(ProblemsModel::SeverityColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ProblemsModel::MessageColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ProblemsModel::LocationColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ProblemsModel::RuleColumn, QHeaderView::ResizeToContents);
    layout->addWidget(m_view, 1);
    setWidget(content);

    // activated: double-click or Enter, as the platform defines it.
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        const QString path = index.data(ProblemsModel::PathRole).toString();
        if (!path.isEmpty())
            emit navigateRequested(path);
    });
    connect(m_model, &ProblemsModel::findingsChanged, this, &ProblemsPanel::updateSummary);
    updateSummary();
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
