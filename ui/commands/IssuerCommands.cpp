// SPDX-License-Identifier: Apache-2.0
#include "commands/IssuerCommands.h"

#include "commands/CommandIds.h"
#include "models/PolicyDocument.h"

#include <utility>

namespace jwb::ui {

SetIssuerCommand::SetIssuerCommand(PolicyDocument* document, int row, policy::Issuer before, policy::Issuer after,
                                   const QString& text, QString mergeKey, QUndoCommand* parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_row(row)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeKey(std::move(mergeKey))
{
}

void SetIssuerCommand::undo() { m_document->applyIssuer(m_row, m_before); }
void SetIssuerCommand::redo() { m_document->applyIssuer(m_row, m_after); }
int SetIssuerCommand::id() const { return m_mergeKey.isEmpty() ? -1 : SetIssuerId; }

bool SetIssuerCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const SetIssuerCommand*>(other);
    if (next->m_row != m_row || next->m_mergeKey != m_mergeKey)
        return false;
    m_after = next->m_after;
    setText(next->text());
    // Typing back to the original value leaves nothing to undo.
    setObsolete(m_after == m_before && m_after.keys.resolved.size() == m_before.keys.resolved.size());
    return true;
}

InsertIssuerCommand::InsertIssuerCommand(PolicyDocument* document, int row, policy::Issuer issuer,
                                         const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent), m_document(document), m_row(row), m_issuer(std::move(issuer))
{
}

void InsertIssuerCommand::undo() { m_document->applyRemoveIssuer(m_row); }
void InsertIssuerCommand::redo() { m_document->applyInsertIssuer(m_row, m_issuer); }

RemoveIssuerCommand::RemoveIssuerCommand(PolicyDocument* document, int row, policy::Issuer issuer,
                                         const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent), m_document(document), m_row(row), m_issuer(std::move(issuer))
{
}

void RemoveIssuerCommand::undo() { m_document->applyInsertIssuer(m_row, m_issuer); }
void RemoveIssuerCommand::redo() { m_document->applyRemoveIssuer(m_row); }

} // namespace jwb::ui
