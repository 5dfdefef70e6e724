// SPDX-License-Identifier: Apache-2.0
#include "models/ExceptionsModel.h"

#include "models/Palette.h"
#include "models/PolicyDocument.h"

#include <QApplication>
#include <QLocale>
#include <QStyle>

#include <utility>

namespace jwb::ui {

ExceptionsModel::ExceptionsModel(PolicyDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document), m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    connect(document, &PolicyDocument::aboutToReset, this, [this] { beginResetModel(); });
    connect(document, &PolicyDocument::resetDone, this, [this] { endResetModel(); });
    connect(document, &PolicyDocument::exceptionAboutToBeInserted, this,
            [this](int row) { beginInsertRows({}, row, row); });
    connect(document, &PolicyDocument::exceptionInserted, this, [this](int) { endInsertRows(); });
    connect(document, &PolicyDocument::exceptionAboutToBeRemoved, this,
            [this](int row) { beginRemoveRows({}, row, row); });
    connect(document, &PolicyDocument::exceptionRemoved, this, [this](int) { endRemoveRows(); });
    connect(document, &PolicyDocument::exceptionChanged, this,
            [this](int row) { emit dataChanged(index(row, 0), index(row, ColumnCount - 1)); });
}

void ExceptionsModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

ExceptionsModel::State ExceptionsModel::stateOf(int row) const
{
    const QDateTime now = m_clock();
    const auto& e = m_document->policy().exceptions.at(row);
    if (!e.activeAt(now))
        return State::Expired;
    if (e.expires <= now.addDays(kExpiringDays))
        return State::Expiring;
    return State::Active;
}

int ExceptionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_document->policy().exceptions.size());
}

int ExceptionsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ExceptionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& e = m_document->policy().exceptions.at(index.row());
    const State state = stateOf(index.row());
    if (role == StateRole)
        return static_cast<int>(state);
    const qint64 days = m_clock().daysTo(e.expires);
    const QString status = state == State::Expired    ? tr("Expired")
                           : state == State::Expiring ? tr("Expires in %n day(s)", nullptr, static_cast<int>(days))
                                                      : tr("Active");
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case IdColumn:
            return e.id;
        case IssuerColumn:
            return e.issuer;
        case OwnerColumn:
            return e.owner;
        case ReasonColumn:
            return e.reason;
        case ExpiresColumn:
            if (role == Qt::EditRole)
                return e.expires;
            // A date is stored as the exclusive end of that day (UTC).
            return e.expiresIsDate ? e.expires.toUTC().addSecs(-1).date().toString(Qt::ISODate)
                                   : e.expires.toUTC().toString(Qt::ISODate);
        case StatusColumn:
            return status;
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() != StatusColumn || state == State::Active)
            return {};
        return QApplication::style()->standardIcon(state == State::Expired ? QStyle::SP_MessageBoxCritical
                                                                           : QStyle::SP_MessageBoxWarning);
    case Qt::BackgroundRole:
        if (state == State::Active)
            return {};
        return tintBackground(QApplication::palette(), state == State::Expired ? Tint::Danger : Tint::Warning);
    case Qt::ToolTipRole:
        if (state == State::Expired)
            return tr("Exception %1 expired; it no longer loosens anything and should be removed.").arg(e.id);
        if (state == State::Expiring)
            return tr("Exception %1 expires within %2 days: renew it with a reason, or plan its removal.")
                .arg(e.id)
                .arg(kExpiringDays);
        return tr("Exception %1 for %2, owned by %3.").arg(e.id, e.issuer, e.owner);
    default:
        return {};
    }
}

bool ExceptionsModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return false;
    auto e = m_document->policy().exceptions.at(index.row());
    switch (index.column()) {
    case OwnerColumn:
        e.owner = value.toString();
        return m_document->setException(index.row(), e, tr("owner"), QStringLiteral("owner")).ok();
    case ReasonColumn:
        e.reason = value.toString();
        return m_document->setException(index.row(), e, tr("reason"), QStringLiteral("reason")).ok();
    default:
        return false;
    }
}

Qt::ItemFlags ExceptionsModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == OwnerColumn || index.column() == ReasonColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ExceptionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Id");
    case IssuerColumn:
        return tr("Issuer");
    case OwnerColumn:
        return tr("Owner");
    case ReasonColumn:
        return tr("Reason");
    case ExpiresColumn:
        return tr("Expires");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace jwb::ui
