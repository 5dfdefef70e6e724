// SPDX-License-Identifier: Apache-2.0
#include "commands/EstateCommands.h"

#include "models/EstateDocument.h"

#include <QObject>

namespace jwb::ui {

EstateInsertVerifierCommand::EstateInsertVerifierCommand(EstateDocument* document, int row, estate::Verifier verifier)
    : m_document(document), m_row(row), m_verifier(std::move(verifier))
{
    setText(QObject::tr("Add verifier %1").arg(m_verifier.name));
}

void EstateInsertVerifierCommand::undo() { m_document->applyRemove(m_row); }
void EstateInsertVerifierCommand::redo() { m_document->applyInsert(m_row, m_verifier); }

EstateRemoveVerifierCommand::EstateRemoveVerifierCommand(EstateDocument* document, int row, estate::Verifier verifier)
    : m_document(document), m_row(row), m_verifier(std::move(verifier))
{
    setText(QObject::tr("Remove verifier %1").arg(m_verifier.name));
}

void EstateRemoveVerifierCommand::undo() { m_document->applyInsert(m_row, m_verifier); }
void EstateRemoveVerifierCommand::redo() { m_document->applyRemove(m_row); }

EstateEditVerifierCommand::EstateEditVerifierCommand(EstateDocument* document, int row, estate::Verifier before,
                                                     estate::Verifier after, const QString& what)
    : m_document(document), m_row(row), m_before(std::move(before)), m_after(std::move(after))
{
    setText(QObject::tr("Change %1 of %2").arg(what, m_before.name));
}

void EstateEditVerifierCommand::undo() { m_document->applyReplace(m_row, m_before); }
void EstateEditVerifierCommand::redo() { m_document->applyReplace(m_row, m_after); }

} // namespace jwb::ui
