// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lint/Lint.h"

#include <QAbstractItemModel>
#include <QList>

#include <optional>

namespace jwb::ui {

class ProblemsModel;

// The findings of a ProblemsModel grouped by rule: one top-level row per rule (its severity, how
// many findings, and the first few names they concern: "api-0015, api-0022 … and 188 more"), the
// findings as its children with the ProblemsModel's columns and roles. Groups come in severity
// order (errors first), then by rule id. Rebuilt when the findings change (they change as a whole).
class ProblemsGroupModel final : public QAbstractItemModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProblemsGroupModel)

public:
    static constexpr int RuleRole = Qt::UserRole + 10; // QString on every row: the rule id
    static constexpr int kNamesShown = 3;

    explicit ProblemsGroupModel(ProblemsModel* findings, QObject* parent = nullptr);

    // The row of a ProblemsModel finding here (a child of its rule's group), or an invalid index.
    QModelIndex indexOfFinding(const QModelIndex& finding) const;
    // The ProblemsModel row behind a finding row, or -1 for a group row.
    int findingRow(const QModelIndex& index) const;
    // "api-15, api-22, api-31 … and 188 more": the names a group's findings concern, bounded.
    QString groupNames(int group) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct Group {
        QString rule;
        lint::Severity severity = lint::Severity::Info;
        QList<int> rows; // ProblemsModel rows
    };
    void rebuild();

    ProblemsModel* m_findings;
    QList<Group> m_groups;
    QList<int> m_groupOfRow; // ProblemsModel row -> group
    QList<int> m_indexInGroup; // ProblemsModel row -> row within its group
    // groupNames() per group, computed when first shown: a repaint asks for it on every group row,
    // and a large group would match every finding's message again each time.
    mutable QList<std::optional<QString>> m_names;
};

} // namespace jwb::ui
