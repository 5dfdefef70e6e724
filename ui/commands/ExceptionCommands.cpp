// SPDX-License-Identifier: Apache-2.0
#include "commands/ExceptionCommands.h"

#include "models/PolicyDocument.h"

#include <utility>

namespace jwb::ui {

void SetExceptionCommand::apply(const policy::PolicyException& exception)
{
    document()->applyException(row(), exception);
}

InsertExceptionCommand::InsertExceptionCommand(PolicyDocument* document, int row, policy::PolicyException exception,
                                               const QString& text)
    : QUndoCommand(text), m_document(document), m_row(row), m_exception(std::move(exception))
{
}

void InsertExceptionCommand::undo() { m_document->applyRemoveException(m_row); }
void InsertExceptionCommand::redo() { m_document->applyInsertException(m_row, m_exception); }

RemoveExceptionCommand::RemoveExceptionCommand(PolicyDocument* document, int row, policy::PolicyException exception,
                                               const QString& text)
    : QUndoCommand(text), m_document(document), m_row(row), m_exception(std::move(exception))
{
}

void RemoveExceptionCommand::undo() { m_document->applyInsertException(m_row, m_exception); }
void RemoveExceptionCommand::redo() { m_document->applyRemoveException(m_row); }

} // namespace jwb::ui
