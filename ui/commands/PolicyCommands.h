// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commands/SetValueCommand.h"
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

class SetMetaCommand final : public SetValueCommand<PolicyMeta, SetMetaId> {
public:
    SetMetaCommand(PolicyDocument* document, PolicyMeta before, PolicyMeta after, const QString& text,
                   QString mergeKey);

private:
    void apply(const PolicyMeta& meta) override;
};

// The `defaults` rule set. Same-key edits merge (spin box typing).
class SetDefaultsCommand final : public SetValueCommand<policy::Rules, SetDefaultsId> {
public:
    SetDefaultsCommand(PolicyDocument* document, policy::Rules before, policy::Rules after, const QString& text,
                       QString mergeKey);

private:
    void apply(const policy::Rules& defaults) override;
};

} // namespace jwb::ui
