// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QUndoCommand>

namespace jwb::ui {

class PolicyDocument;

// Column-level changes of the issuer x audience matrix. Ticks in issuers' rows are changed by
// SetIssuerCommand children of the same macro, so undo restores both in one step.
class InsertAudienceCommand final : public QUndoCommand {
public:
    InsertAudienceCommand(PolicyDocument* document, int column, QString audience, const QString& text,
                          QUndoCommand* parent = nullptr);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_column;
    QString m_audience;
};

class RemoveAudienceCommand final : public QUndoCommand {
public:
    RemoveAudienceCommand(PolicyDocument* document, int column, QString audience, QUndoCommand* parent);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_column;
    QString m_audience;
};

class RenameAudienceCommand final : public QUndoCommand {
public:
    RenameAudienceCommand(PolicyDocument* document, int column, QString before, QString after,
                          QUndoCommand* parent);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_column;
    QString m_before;
    QString m_after;
};

} // namespace jwb::ui
