// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDockWidget>
#include <QSet>
#include <QString>

class QLabel;
class QTreeView;

namespace jwb::ui {

class PolicyDocument;
class ProblemsGroupModel;
class ProblemsModel;

// The lint findings of the current policy, live, grouped by rule with their counts (a policy of
// 10,000 issuers gives hundreds of findings of a few rules). Double-click (or Enter) on a finding
// asks the window to go to the field it concerns; on a group, opens or closes it. Groups opened
// stay open across lint runs; small groups start open.
class ProblemsPanel final : public QDockWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProblemsPanel)

public:
    explicit ProblemsPanel(PolicyDocument* document, QWidget* parent = nullptr);

    ProblemsModel* model() const { return m_model; }
    ProblemsGroupModel* groupModel() const { return m_groups; }
    QTreeView* view() const { return m_view; }
    // The view's index of a ProblemsModel finding (its group opened), or invalid.
    QModelIndex viewIndexOf(const QModelIndex& finding);
    // "2 errors, 3 warnings, 1 note"
    QString summary() const;

signals:
    void navigateRequested(const QString& path);

private:
    void updateSummary();
    void rememberExpanded();
    void restoreExpanded();

    ProblemsModel* m_model;
    ProblemsGroupModel* m_groups;
    QTreeView* m_view;
    QSet<QString> m_expanded;  // rule ids of the groups open
    QSet<QString> m_seenRules; // groups shown before (a new small group starts open)
    QLabel* m_summary;
};

} // namespace jwb::ui
