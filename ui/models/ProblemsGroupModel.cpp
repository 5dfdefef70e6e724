// SPDX-License-Identifier: Apache-2.0
#include "models/ProblemsGroupModel.h"

#include "models/ProblemsModel.h"

#include <QHash>
#include <QSet>
#include <QRegularExpression>

#include <algorithm>

namespace jwb::ui {

namespace {

// Internal ids: 0 for a group row, group + 1 for a finding row under that group.
constexpr quintptr kGroupId = 0;

// What a finding is about, as a reader names it: the first quoted name of its message ("Audience
// 'api-0590' is accepted ...", "Issuer 'https://a/' lists ..."), else its issuer, else its field path.
QString subjectOf(const lint::Finding& f)
{
    static const QRegularExpression quoted(QStringLiteral("'([^']{1,80})'"));
    const QRegularExpressionMatch m = quoted.match(f.message);
    if (m.hasMatch())
        return m.captured(1);
    return f.issuer.isEmpty() ? f.path : f.issuer;
}

} // namespace

ProblemsGroupModel::ProblemsGroupModel(ProblemsModel* findings, QObject* parent)
    : QAbstractItemModel(parent), m_findings(findings)
{
    connect(findings, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(findings, &QAbstractItemModel::modelReset, this, [this] {
        rebuild();
        endResetModel();
    });
    // Only the location column changes in place (line numbers shown or not).
    connect(findings, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles) {
                for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                    const QModelIndex first = indexOfFinding(m_findings->index(row, topLeft.column()));
                    if (first.isValid())
                        emit dataChanged(first, first.siblingAtColumn(bottomRight.column()), roles);
                }
            });
    rebuild();
}

void ProblemsGroupModel::rebuild()
{
    m_groups.clear();
    const int count = m_findings->rowCount();
    QHash<QString, int> byRule;
    for (int row = 0; row < count; ++row) {
        const lint::Finding& f = m_findings->finding(row);
        auto it = byRule.find(f.ruleId);
        if (it == byRule.end()) {
            it = byRule.insert(f.ruleId, static_cast<int>(m_groups.size()));
            m_groups.append(Group{f.ruleId, f.severity, {}});
        }
        m_groups[*it].rows.append(row);
    }
    std::stable_sort(m_groups.begin(), m_groups.end(), [](const Group& a, const Group& b) {
        if (a.severity != b.severity)
            return static_cast<int>(a.severity) < static_cast<int>(b.severity); // Error < Warning < Info
        return a.rule < b.rule;
    });
    m_names = QList<std::optional<QString>>(m_groups.size());
    m_groupOfRow.fill(-1, count);
    m_indexInGroup.fill(-1, count);
    for (int g = 0; g < m_groups.size(); ++g) {
        for (int i = 0; i < m_groups.at(g).rows.size(); ++i) {
            m_groupOfRow[m_groups.at(g).rows.at(i)] = g;
            m_indexInGroup[m_groups.at(g).rows.at(i)] = i;
        }
    }
}

QString ProblemsGroupModel::groupNames(int group) const
{
    if (group < 0 || group >= m_groups.size())
        return {};
    std::optional<QString>& cached = m_names[group];
    if (cached)
        return *cached;
    QStringList names;
    int distinct = 0;
    QSet<QString> seen;
    for (int row : m_groups.at(group).rows) {
        const QString name = subjectOf(m_findings->finding(row));
        if (seen.contains(name))
            continue;
        seen.insert(name);
        ++distinct;
        if (names.size() < kNamesShown)
            names.append(name);
    }
    QString text = names.join(u", ");
    if (distinct > names.size())
        text += tr(" \u2026 and %n more", nullptr, distinct - static_cast<int>(names.size()));
    cached = text;
    return text;
}

QModelIndex ProblemsGroupModel::indexOfFinding(const QModelIndex& finding) const
{
    if (!finding.isValid() || finding.model() != m_findings || finding.row() >= m_groupOfRow.size())
        return {};
    const int group = m_groupOfRow.at(finding.row());
    if (group < 0)
        return {};
    return createIndex(m_indexInGroup.at(finding.row()), finding.column(), static_cast<quintptr>(group) + 1);
}

int ProblemsGroupModel::findingRow(const QModelIndex& index) const
{
    if (!index.isValid() || index.internalId() == kGroupId)
        return -1;
    const int group = static_cast<int>(index.internalId() - 1);
    if (group >= m_groups.size() || index.row() >= m_groups.at(group).rows.size())
        return -1;
    return m_groups.at(group).rows.at(index.row());
}

QModelIndex ProblemsGroupModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ProblemsModel::ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, kGroupId) : QModelIndex();
    if (parent.internalId() != kGroupId || parent.row() >= m_groups.size()
        || row >= m_groups.at(parent.row()).rows.size())
        return {};
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex ProblemsGroupModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kGroupId)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kGroupId);
}

int ProblemsGroupModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.internalId() != kGroupId || parent.column() != 0 || parent.row() >= m_groups.size())
        return 0;
    return static_cast<int>(m_groups.at(parent.row()).rows.size());
}

int ProblemsGroupModel::columnCount(const QModelIndex&) const { return ProblemsModel::ColumnCount; }

QVariant ProblemsGroupModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() != kGroupId) {
        const int row = findingRow(index);
        if (row < 0)
            return {};
        if (role == RuleRole)
            return m_findings->finding(row).ruleId;
        return m_findings->index(row, index.column()).data(role);
    }
    const Group& g = m_groups.at(index.row());
    const int n = static_cast<int>(g.rows.size());
    switch (role) {
    case RuleRole:
        return g.rule;
    case ProblemsModel::SeverityRole:
        return static_cast<int>(g.severity);
    case Qt::DisplayRole:
        switch (index.column()) {
        case ProblemsModel::SeverityColumn:
            return lint::severityName(g.severity);
        case ProblemsModel::MessageColumn:
            return tr("%n finding(s): %1", nullptr, n).arg(groupNames(index.row()));
        case ProblemsModel::RuleColumn:
            return g.rule;
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == ProblemsModel::SeverityColumn && !g.rows.isEmpty())
            return m_findings->index(g.rows.first(), ProblemsModel::SeverityColumn).data(role);
        return {};
    case Qt::ToolTipRole:
        return tr("Rule %1: %n finding(s). Expand to see each; double-click one to go to its field.", nullptr, n)
            .arg(g.rule);
    default:
        return {};
    }
}

QVariant ProblemsGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_findings->headerData(section, orientation, role);
}

Qt::ItemFlags ProblemsGroupModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace jwb::ui
