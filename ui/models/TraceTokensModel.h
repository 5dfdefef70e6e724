// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/TraceEvaluation.h"

#include <QAbstractTableModel>
#include <QPalette>

namespace jwb::ui {

// The tokens pasted into the Token Lab, one row per token line, with the verdict of each under the
// current policy. Tokens are named by line and fingerprint, never shown in full here.
class TraceTokensModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TraceTokensModel)

public:
    enum Column { LineColumn, VerdictColumn, FingerprintColumn, IssuerColumn, ColumnCount };
    enum Role { AcceptedRole = Qt::UserRole + 1, FailureCodeRole };

    explicit TraceTokensModel(QObject* parent = nullptr);

    // Same row count is reported as dataChanged (typing in one token keeps the list's selection).
    void setTokens(QList<TokenSummary> tokens);
    const QList<TokenSummary>& tokens() const { return m_tokens; }
    void setPalette(const QPalette& palette);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<TokenSummary> m_tokens;
    QPalette m_palette;
};

} // namespace jwb::ui
