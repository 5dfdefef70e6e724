// SPDX-License-Identifier: Apache-2.0
#include "commands/ExceptionCommands.h"

#include "commands/CommandIds.h"
#include "models/PolicyDocument.h"

#include <utility>

namespace jwb::ui {

SetExceptionCommand::SetExceptionCommand(PolicyDocument* document, int row, policy::PolicyException before,
                                         policy::PolicyException after, const QString& text, QString mergeKey,
                                         QUndoCommand* parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_row(row)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeKey(std::move(mergeKey))
{
}

void SetExceptionCommand::undo() { m_document->applyException(m_row, m_before); }
void SetExceptionCommand::redo() { m_document->applyException(m_row, m_after); }
int SetExceptionCommand::id() const { return m_mergeKey.isEmpty() ? -1 : SetExceptionId; }

bool SetExceptionCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const SetExceptionCommand*>(other);
    if (next->m_row != m_row || next->m_mergeKey != m_mergeKey)
        return false;
    m_after = next->m_after;
    setText(next->text());
    setObsolete(m_after == m_before);
    return true;
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
