// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"

#include <QString>
#include <QUndoCommand>

namespace jwb::ui {

class PolicyDocument;

class SetExceptionCommand final : public QUndoCommand {
public:
    SetExceptionCommand(PolicyDocument* document, int row, policy::PolicyException before,
                        policy::PolicyException after, const QString& text, QString mergeKey = {},
                        QUndoCommand* parent = nullptr);
    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    PolicyDocument* m_document;
    int m_row;
    policy::PolicyException m_before;
    policy::PolicyException m_after;
    QString m_mergeKey;
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
