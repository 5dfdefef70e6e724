// SPDX-License-Identifier: Apache-2.0
#include "commands/AudienceCommands.h"

#include "models/PolicyDocument.h"

#include <utility>

namespace jwb::ui {

InsertAudienceCommand::InsertAudienceCommand(PolicyDocument* document, int column, QString audience,
                                             const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent), m_document(document), m_column(column), m_audience(std::move(audience))
{
}

void InsertAudienceCommand::undo() { m_document->applyRemoveAudience(m_column); }
void InsertAudienceCommand::redo() { m_document->applyInsertAudience(m_column, m_audience); }

RemoveAudienceCommand::RemoveAudienceCommand(PolicyDocument* document, int column, QString audience,
                                             QUndoCommand* parent)
    : QUndoCommand(parent), m_document(document), m_column(column), m_audience(std::move(audience))
{
}

void RemoveAudienceCommand::undo() { m_document->applyInsertAudience(m_column, m_audience); }
void RemoveAudienceCommand::redo() { m_document->applyRemoveAudience(m_column); }

RenameAudienceCommand::RenameAudienceCommand(PolicyDocument* document, int column, QString before, QString after,
                                             QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_column(column)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
}

void RenameAudienceCommand::undo() { m_document->applyRenameAudience(m_column, m_before); }
void RenameAudienceCommand::redo() { m_document->applyRenameAudience(m_column, m_after); }

} // namespace jwb::ui
