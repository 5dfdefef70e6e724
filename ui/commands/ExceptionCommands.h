// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commands/SetValueCommand.h"
#include "policy/Policy.h"

#include <QString>
#include <QUndoCommand>

namespace jwb::ui {

class PolicyDocument;

class SetExceptionCommand final : public SetValueCommand<policy::PolicyException, SetExceptionId> {
public:
    using SetValueCommand::SetValueCommand;

private:
    void apply(const policy::PolicyException& exception) override;
};

class InsertExceptionCommand final : public QUndoCommand {
public:
    InsertExceptionCommand(PolicyDocument* document, int row, policy::PolicyException exception,
                           const QString& text);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_row;
    policy::PolicyException m_exception;
};

class RemoveExceptionCommand final : public QUndoCommand {
public:
    RemoveExceptionCommand(PolicyDocument* document, int row, policy::PolicyException exception,
                           const QString& text);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_row;
    policy::PolicyException m_exception;
};

} // namespace jwb::ui
