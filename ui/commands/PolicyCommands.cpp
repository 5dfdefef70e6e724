// SPDX-License-Identifier: Apache-2.0
#include "commands/PolicyCommands.h"

#include "commands/CommandIds.h"
#include "models/PolicyDocument.h"

#include <utility>

namespace jwb::ui {

SetMetaCommand::SetMetaCommand(PolicyDocument* document, PolicyMeta before, PolicyMeta after, const QString& text,
                               QString mergeKey)
    : QUndoCommand(text)
    , m_document(document)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeKey(std::move(mergeKey))
{
}

void SetMetaCommand::undo() { m_document->applyMeta(m_before.name, m_before.owner, m_before.revision); }
void SetMetaCommand::redo() { m_document->applyMeta(m_after.name, m_after.owner, m_after.revision); }
int SetMetaCommand::id() const { return m_mergeKey.isEmpty() ? -1 : SetMetaId; }

bool SetMetaCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const SetMetaCommand*>(other);
    if (next->m_mergeKey != m_mergeKey)
        return false;
    m_after = next->m_after;
    setText(next->text());
    setObsolete(m_after == m_before);
    return true;
}

SetDefaultsCommand::SetDefaultsCommand(PolicyDocument* document, policy::Rules before, policy::Rules after,
                                       const QString& text, QString mergeKey)
    : QUndoCommand(text)
    , m_document(document)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeKey(std::move(mergeKey))
{
}

void SetDefaultsCommand::undo() { m_document->applyDefaults(m_before); }
void SetDefaultsCommand::redo() { m_document->applyDefaults(m_after); }
int SetDefaultsCommand::id() const { return m_mergeKey.isEmpty() ? -1 : SetDefaultsId; }

bool SetDefaultsCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const SetDefaultsCommand*>(other);
    if (next->m_mergeKey != m_mergeKey)
        return false;
    m_after = next->m_after;
    setText(next->text());
    setObsolete(m_after == m_before);
    return true;
}

} // namespace jwb::ui
