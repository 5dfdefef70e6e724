// SPDX-License-Identifier: Apache-2.0
#include "commands/IssuerCommands.h"

#include "models/PolicyDocument.h"

#include <utility>

namespace jwb::ui {

void SetIssuerCommand::apply(const policy::Issuer& issuer) { document()->applyIssuer(row(), issuer); }

bool SetIssuerCommand::unchanged(const policy::Issuer& before, const policy::Issuer& after) const
{
    // Issuer equality leaves out the resolved keys (derived, never saved): an edit that changed how
    // many keys are pinned is still a change.
    return after == before && after.keys.resolved.size() == before.keys.resolved.size();
}

SetIssuersCommand::SetIssuersCommand(PolicyDocument* document, IssuersChange change, QUndoCommand* parent)
    : QUndoCommand(parent), m_document(document), m_change(std::move(change))
{
}

void SetIssuersCommand::undo() { m_document->applyIssuers(m_change.rows, m_change.before); }
void SetIssuersCommand::redo() { m_document->applyIssuers(m_change.rows, m_change.after); }

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
