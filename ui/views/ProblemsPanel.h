// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDockWidget>

class QLabel;
class QTableView;

namespace jwb::ui {

class PolicyDocument;
class ProblemsModel;

// The lint findings of the current policy, live. Double-click (or Enter) on a finding asks the
// window to go to the field it concerns.
class ProblemsPanel final : public QDockWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProblemsPanel)

public:
    explicit ProblemsPanel(PolicyDocument* document, QWidget* parent = nullptr);

    ProblemsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // "2 errors, 3 warnings, 1 note"
    QString summary() const;

signals:
    void navigateRequested(const QString& path);

private:
    void updateSummary();

    ProblemsModel* m_model;
    QTableView* m_view;
    QLabel* m_summary;
};

} // namespace jwb::ui
