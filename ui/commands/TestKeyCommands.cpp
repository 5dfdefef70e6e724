// SPDX-License-Identifier: Apache-2.0
#include "commands/TestKeyCommands.h"

#include "models/PolicyDocument.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUndoStack>

#include <algorithm>
#include <utility>

namespace jwb::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("jwb::ui::TestKeyCommands", text); }

} // namespace

AddTestKeyCommand::AddTestKeyCommand(PolicyDocument* document, int row, policy::Issuer before, policy::Issuer after,
                                     const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_row(row)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
}

void AddTestKeyCommand::undo() { m_document->applyIssuer(m_row, m_before); }
void AddTestKeyCommand::redo() { m_document->applyIssuer(m_row, m_after); }

Status addTestKey(PolicyDocument* document, int issuerRow, const keys::Key& key)
{
    if (!document || issuerRow < 0 || issuerRow >= document->issuerCount())
        return Error{QStringLiteral("ERR_TEST_KEY_ISSUER"), tr("There is no issuer to add the test key to."), {}};
    const policy::Issuer& before = document->policy().issuers.at(issuerRow);
    const bool known = std::any_of(before.keys.resolved.cbegin(), before.keys.resolved.cend(),
                                   [&key](const keys::Key& k) { return k.thumbprint == key.thumbprint; });
    if (known)
        return Error{QStringLiteral("ERR_TEST_KEY_DUPLICATE"),
                     tr("This key is already pinned for %1.").arg(before.issuer), {}};
    const QJsonDocument jwk = QJsonDocument::fromJson(keys::toPublicJwk(key));
    if (!jwk.isObject())
        return Error{QStringLiteral("ERR_TEST_KEY_JWK"), tr("The test key could not be written as a JWK."), {}};

    policy::Issuer after = before;
    QJsonObject jwks = after.keys.testJwks.value_or(QJsonObject{});
    QJsonArray array = jwks.value(QLatin1String("keys")).toArray();
    array.append(jwk.object());
    jwks.insert(QLatin1String("keys"), array);
    after.keys.testJwks = jwks;
    keys::Key pinned = key;
    pinned.testKey = true;
    pinned.source = QStringLiteral("test_jwks #%1").arg(array.size() - 1);
    after.keys.resolved.append(pinned);

    const QString name = key.kid.isEmpty() ? key.thumbprint.left(12) : key.kid;
    document->undoStack()->push(new AddTestKeyCommand(document, issuerRow, before, after,
                                                      tr("Add test key %1 to %2").arg(name, before.issuer)));
    return Ok{};
}

} // namespace jwb::ui
