// SPDX-License-Identifier: Apache-2.0
#include "commands/KeyCommands.h"

#include "commands/IssuerCommands.h"
#include "keys/Key.h"
#include "models/PolicyDocument.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUndoStack>

#include <algorithm>

namespace jwb::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("jwb::ui::KeyCommands", text); }

const QString kInline = QStringLiteral("inline jwks #");
const QString kTest = QStringLiteral("test_jwks #");

Status refuse(PolicyDocument* document, Error error)
{
    emit document->editRefused(error.message);
    return error;
}

// Rewrites the kid of the JWK whose thumbprint is `thumbprint` in `jwks` ({"keys": [...]});
// false when no member of the set is that key.
bool setKidIn(QJsonObject& jwks, const QString& source, const QString& thumbprint, const QString& kid)
{
    QJsonArray array = jwks.value(QLatin1String("keys")).toArray();
    for (int i = 0; i < array.size(); ++i) {
        QJsonObject jwk = array.at(i).toObject();
        Result<keys::Key> parsed =
            keys::parseJwk(QJsonDocument(jwk).toJson(QJsonDocument::Compact), source + QString::number(i));
        if (!parsed || parsed->thumbprint != thumbprint)
            continue;
        if (kid.isEmpty())
            jwk.remove(QLatin1String("kid"));
        else
            jwk.insert(QLatin1String("kid"), kid);
        array.replace(i, jwk);
        jwks.insert(QLatin1String("keys"), array);
        return true;
    }
    return false;
}

} // namespace

bool isKidEditable(const QString& source) { return source.startsWith(kInline) || source.startsWith(kTest); }

Status setKeyKid(PolicyDocument* document, int issuerRow, const QString& thumbprint, const QString& kid)
{
    if (!document || issuerRow < 0 || issuerRow >= document->issuerCount())
        return document ? refuse(document, Error{QStringLiteral("ERR_KEY_KID_NO_KEY"),
                                                 tr("There is no issuer at row %1.").arg(issuerRow + 1), {}})
                        : Status(Error{QStringLiteral("ERR_KEY_KID_NO_KEY"), tr("No document."), {}});
    const policy::Issuer& before = document->policy().issuers.at(issuerRow);
    const QString path = QStringLiteral("issuers[%1].keys").arg(issuerRow);
    const auto it = std::find_if(before.keys.resolved.cbegin(), before.keys.resolved.cend(),
                                 [&thumbprint](const keys::Key& k) { return k.thumbprint == thumbprint; });
    if (it == before.keys.resolved.cend())
        return refuse(document, Error{QStringLiteral("ERR_KEY_KID_NO_KEY"),
                                      tr("%1 has no key with thumbprint %2.").arg(before.issuer, thumbprint), path});
    const QString wanted = kid.trimmed();
    if (it->kid == wanted)
        return Ok{};
    if (!isKidEditable(it->source))
        return refuse(document, Error{QStringLiteral("ERR_KEY_KID_FROM_FILE"),
                                      tr("The key %1 comes from %2: set its kid in that file.")
                                          .arg(it->kid.isEmpty() ? thumbprint.left(12) : it->kid, it->source),
                                      path});
    const bool taken = !wanted.isEmpty()
                       && std::any_of(before.keys.resolved.cbegin(), before.keys.resolved.cend(),
                                      [&wanted](const keys::Key& k) { return k.kid == wanted; });
    if (taken)
        return refuse(document, Error{QStringLiteral("ERR_KEY_KID_DUPLICATE"),
                                      tr("Another key of %1 already has kid '%2': a kid must select one key.")
                                          .arg(before.issuer, wanted),
                                      path});

    policy::Issuer after = before;
    const bool test = it->source.startsWith(kTest);
    std::optional<QJsonObject>& set = test ? after.keys.testJwks : after.keys.jwks;
    QJsonObject jwks = set.value_or(QJsonObject{});
    if (!setKidIn(jwks, test ? kTest : kInline, thumbprint, wanted))
        return refuse(document, Error{QStringLiteral("ERR_KEY_KID_NO_KEY"),
                                      tr("The key %1 is not in the issuer's inline key set.").arg(thumbprint.left(12)),
                                      path});
    set = jwks;
    after.keys.resolved[std::distance(before.keys.resolved.cbegin(), it)].kid = wanted;
    const QString text = wanted.isEmpty()
                             ? tr("Clear the kid of key %1 of %2").arg(thumbprint.left(12), before.issuer)
                             : tr("Set kid '%1' on key %2 of %3").arg(wanted, thumbprint.left(12), before.issuer);
    document->undoStack()->push(new SetIssuerCommand(document, issuerRow, before, after, text));
    return Ok{};
}

} // namespace jwb::ui
