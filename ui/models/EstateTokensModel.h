// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "probe/Probe.h"

#include <QAbstractTableModel>

namespace jwb::ui {

// The probe tokens of one matrix cell (one verifier, one variant class): what the core decided
// about each and what the verifier answered. Only the fingerprint names a token; its bytes never
// reach this model (ProbeResult holds none). Read-only.
class EstateTokensModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EstateTokensModel)

public:
    enum Column { VariantColumn, CoreColumn, StatusColumn, ObservedColumn, OutcomeColumn, FingerprintColumn, ColumnCount };

    explicit EstateTokensModel(QObject* parent = nullptr);

    void setResults(QList<probe::ProbeResult> results);
    const QList<probe::ProbeResult>& results() const { return m_results; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<probe::ProbeResult> m_results;
};

} // namespace jwb::ui
