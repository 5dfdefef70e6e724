// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "commands/SetValueCommand.h"
#include "policy/Policy.h"

#include <QList>
#include <QString>
#include <QUndoCommand>

namespace jwb::ui {

class PolicyDocument;

// Replaces one issuer entry (any field: audiences, trust domain, keys, overrides...). Commands with
// the same non-empty merge key on the same row merge, so typing into one field is one undo step.
class SetIssuerCommand final : public SetValueCommand<policy::Issuer, SetIssuerId> {
public:
    using SetValueCommand::SetValueCommand;

private:
    void apply(const policy::Issuer& issuer) override;
    bool unchanged(const policy::Issuer& before, const policy::Issuer& after) const override;
};

// Several issuers replaced in one change (the ticks of an audience renamed or removed): rows
// ascending, `before` and `after` the same length as `rows`.
struct IssuersChange {
    QList<int> rows;
    QList<policy::Issuer> before;
    QList<policy::Issuer> after;
};

// Applies an IssuersChange through PolicyDocument::applyIssuers, so the views hear of it once
// instead of once per issuer.
class SetIssuersCommand final : public QUndoCommand {
public:
    SetIssuersCommand(PolicyDocument* document, IssuersChange change, QUndoCommand* parent);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    IssuersChange m_change;
};

class InsertIssuerCommand final : public QUndoCommand {
public:
    InsertIssuerCommand(PolicyDocument* document, int row, policy::Issuer issuer, const QString& text,
                        QUndoCommand* parent = nullptr);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_row;
    policy::Issuer m_issuer;
};

class RemoveIssuerCommand final : public QUndoCommand {
public:
    RemoveIssuerCommand(PolicyDocument* document, int row, policy::Issuer issuer, const QString& text,
                        QUndoCommand* parent = nullptr);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_row;
    policy::Issuer m_issuer;
};

} // namespace jwb::ui
