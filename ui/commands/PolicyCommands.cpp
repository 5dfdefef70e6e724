// SPDX-License-Identifier: Apache-2.0
#include "commands/PolicyCommands.h"

#include "models/PolicyDocument.h"

#include <utility>

namespace jwb::ui {

// The policy as a whole has one meta and one defaults: every command is on "row" 0.
SetMetaCommand::SetMetaCommand(PolicyDocument* document, PolicyMeta before, PolicyMeta after, const QString& text,
                               QString mergeKey)
    : SetValueCommand(document, 0, std::move(before), std::move(after), text, std::move(mergeKey))
{
}

void SetMetaCommand::apply(const PolicyMeta& meta) { document()->applyMeta(meta.name, meta.owner, meta.revision); }

SetDefaultsCommand::SetDefaultsCommand(PolicyDocument* document, policy::Rules before, policy::Rules after,
                                       const QString& text, QString mergeKey)
    : SetValueCommand(document, 0, std::move(before), std::move(after), text, std::move(mergeKey))
{
}

void SetDefaultsCommand::apply(const policy::Rules& defaults) { document()->applyDefaults(defaults); }

} // namespace jwb::ui
