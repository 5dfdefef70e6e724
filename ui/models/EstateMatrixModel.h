// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "estate/EstateReport.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QPalette>

#include <memory>

namespace jwb::ui {

// How the Estate page names and tints the core's outcomes and verdicts (Palette.h tints): a cell
// that accepts what the policy rejects is critical (danger), one that rejects valid traffic is a
// warning, conforming cells are ok, inconclusive ones neutral, classes never probed left blank.
QString outcomeTitle(const QString& outcome);       // "critical", "breaks valid traffic", ...
// The word a matrix cell shows, short so that every class fits a 1280-pixel window: "ok",
// "critical", "breaks", "?"; the legend pairs each with its title.
QString outcomeShort(const QString& outcome);
QString outcomeMeaning(const QString& outcome);     // one sentence, for the legend and tooltips
QColor outcomeBackground(const QPalette& palette, const QString& outcome); // invalid for not_probed
QString verdictTitle(estate::Verdict verdict);      // "weak", "breaks valid traffic", ...
QColor verdictBackground(const QPalette& palette, estate::Verdict verdict);
QColor verdictColor(const QPalette& palette, estate::Verdict verdict); // for borders and text
// The outcomes in legend order.
QStringList legendOutcomes();

// The core's estate matrix: one row per verifier, one column per variant class, each cell the worst
// outcome of that class's tokens on that verifier as the core computed it (EstateMatrix); nothing
// is derived here. Read-only.
class EstateMatrixModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EstateMatrixModel)

public:
    enum Role {
        OutcomeRole = Qt::UserRole + 1, // the core's outcome name ("accepts_rejected", "not_probed", ...)
        UnexplainedRole,                // bool: the class holds an acceptance no gap row explains
    };

    explicit EstateMatrixModel(QObject* parent = nullptr);

    void setReport(std::shared_ptr<const estate::EstateReport> report);
    const estate::EstateReport* report() const { return m_report.get(); }
    QString verifierAt(int row) const;
    QString classAt(int column) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const estate::EstateReport> m_report;
};

} // namespace jwb::ui
