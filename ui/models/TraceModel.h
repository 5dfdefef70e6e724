// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/TraceEvaluation.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QPalette>

#include <array>

namespace jwb::ui {

// The trace of one token as a table: one row per pipeline step (and the inner token's steps for a
// nested JWT), with a verdict icon, the step, the reason, the RFC reference and whether the step
// relied on claims read before the signature was verified.
class TraceModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TraceModel)

public:
    enum Column { VerdictColumn, StepColumn, ReasonColumn, ReferenceColumn, TrustColumn, ColumnCount };
    enum Role {
        VerdictRole = Qt::UserRole + 1, // int(verify::Verdict)
        StepIdRole,                     // contract id ("expiry")
        CodeRole,                       // stable code ("ERR_EXPIRED")
        UntrustedRole,                  // bool
    };

    explicit TraceModel(QObject* parent = nullptr);

    // Replaces the rows. Same row count (the usual case: every trace has every step) is reported as
    // dataChanged so views keep their selection and scroll position while the user types.
    void setRows(QList<TraceRow> rows);
    const QList<TraceRow>& rows() const { return m_rows; }
    void clear() { setRows({}); }
    // Icons follow this palette (light/dark).
    void setPalette(const QPalette& palette);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString untrustedText();

private:
    const QIcon& icon(verify::Verdict verdict) const;

    QList<TraceRow> m_rows;
    QPalette m_palette;
    mutable std::array<QIcon, 4> m_icons;
};

} // namespace jwb::ui
