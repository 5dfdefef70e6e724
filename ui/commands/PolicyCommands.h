// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"

#include <QString>
#include <QUndoCommand>

namespace jwb::ui {

class PolicyDocument;

// name / owner / revision of the policy.
struct PolicyMeta {
    QString name;
    QString owner;
    int revision = 0;
    bool operator==(const PolicyMeta&) const = default;
};

class SetMetaCommand final : public QUndoCommand {
public:
    SetMetaCommand(PolicyDocument* document, PolicyMeta before, PolicyMeta after, const QString& text,
                   QString mergeKey);
    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    PolicyDocument* m_document;
    PolicyMeta m_before;
    PolicyMeta m_after;
    QString m_mergeKey;
};

// The `defaults` rule set. Same-key edits merge (spin box typing).
class SetDefaultsCommand final : public QUndoCommand {
public:
    SetDefaultsCommand(PolicyDocument* document, policy::Rules before, policy::Rules after, const QString& text,
                       QString mergeKey);
    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    PolicyDocument* m_document;
    policy::Rules m_before;
    policy::Rules m_after;
    QString m_mergeKey;
};

} // namespace jwb::ui
