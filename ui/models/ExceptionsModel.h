// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

#include <functional>

namespace jwb::ui {

class PolicyDocument;

// The policy's dated exceptions, read from the document. Expired ones and those expiring within
// kExpiringDays are marked (icon, tint, status text). Owner and reason are editable in place.
class ExceptionsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExceptionsModel)

public:
    enum Column { IdColumn, IssuerColumn, OwnerColumn, ReasonColumn, ExpiresColumn, StatusColumn, ColumnCount };
    enum class State { Active, Expiring, Expired };
    static constexpr int kExpiringDays = 14;
    static constexpr int StateRole = Qt::UserRole + 1;

    explicit ExceptionsModel(PolicyDocument* document, QObject* parent = nullptr);

    // The clock deciding expired/expiring (tests fix it).
    void setClock(std::function<QDateTime()> clock);
    State stateOf(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    PolicyDocument* m_document;
    std::function<QDateTime()> m_clock;
};

} // namespace jwb::ui
