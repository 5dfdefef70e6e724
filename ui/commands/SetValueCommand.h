// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commands/CommandIds.h"

#include <QString>
#include <QUndoCommand>

#include <utility>

namespace jwb::ui {

class PolicyDocument;

// Moves one value of the document (the meta fields, the defaults, an issuer or exception at a row)
// from `before` to `after`: redo applies `after`, undo `before`, each through the document's apply*
// primitive. Commands of one kind with the same non-empty merge key on the same row merge, so typing
// into one field is one undo step; typing back to the original value leaves nothing to undo.
template <typename Value, CommandId MergeId>
class SetValueCommand : public QUndoCommand {
public:
    SetValueCommand(PolicyDocument* document, int row, Value before, Value after, const QString& text,
                    QString mergeKey = {}, QUndoCommand* parent = nullptr)
        : QUndoCommand(text, parent)
        , m_document(document)
        , m_row(row)
        , m_before(std::move(before))
        , m_after(std::move(after))
        , m_mergeKey(std::move(mergeKey))
    {
    }

    void undo() final { apply(m_before); }
    void redo() final { apply(m_after); }
    int id() const final { return m_mergeKey.isEmpty() ? -1 : MergeId; }

    bool mergeWith(const QUndoCommand* other) final
    {
        // Same id, so the same kind of command.
        const auto* next = static_cast<const SetValueCommand*>(other);
        if (next->m_row != m_row || next->m_mergeKey != m_mergeKey)
            return false;
        m_after = next->m_after;
        setText(next->text());
        setObsolete(unchanged(m_before, m_after));
        return true;
    }

protected:
    PolicyDocument* document() const { return m_document; }
    int row() const { return m_row; }

    virtual void apply(const Value& value) = 0;
    virtual bool unchanged(const Value& before, const Value& after) const { return after == before; }

private:
    PolicyDocument* m_document;
    int m_row;
    Value m_before;
    Value m_after;
    QString m_mergeKey;
};

} // namespace jwb::ui
