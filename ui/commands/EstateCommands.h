// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "estate/Estate.h"

#include <QUndoCommand>

namespace jwb::ui {

class EstateDocument;

// The undo steps of the estate document. Each holds the verifier values it moves, so undo and redo
// are exact; the document checked the edit before the command was pushed.
class EstateInsertVerifierCommand final : public QUndoCommand {
public:
    EstateInsertVerifierCommand(EstateDocument* document, int row, estate::Verifier verifier);
    void undo() override;
    void redo() override;

private:
    EstateDocument* m_document;
    int m_row;
    estate::Verifier m_verifier;
};

class EstateRemoveVerifierCommand final : public QUndoCommand {
public:
    EstateRemoveVerifierCommand(EstateDocument* document, int row, estate::Verifier verifier);
    void undo() override;
    void redo() override;

private:
    EstateDocument* m_document;
    int m_row;
    estate::Verifier m_verifier;
};

class EstateEditVerifierCommand final : public QUndoCommand {
public:
    EstateEditVerifierCommand(EstateDocument* document, int row, estate::Verifier before, estate::Verifier after,
                              const QString& what);
    void undo() override;
    void redo() override;

private:
    EstateDocument* m_document;
    int m_row;
    estate::Verifier m_before;
    estate::Verifier m_after;
};

} // namespace jwb::ui
