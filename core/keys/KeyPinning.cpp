// SPDX-License-Identifier: Apache-2.0
#include "keys/KeyPinning.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <optional>

namespace jwb::keys {

namespace {

// The contract of each target: its member of KeySources, the source prefix the loader gives its
// keys, and the error codes its callers have shipped.
struct TargetSpec {
    std::optional<QJsonObject> policy::KeySources::*set;
    QLatin1String sourcePrefix;
    QLatin1String duplicateCode;
    QLatin1String unusableCode;
    QLatin1String emptyCode;
    bool markTest;
    bool skipKnown;
};

TargetSpec specFor(PinTarget target)
{
    if (target == PinTarget::TestJwks)
        return {&policy::KeySources::testJwks, QLatin1String("test_jwks #"), QLatin1String("ERR_TEST_KEY_DUPLICATE"),
                QLatin1String("ERR_TEST_KEY_JWK"), QLatin1String("ERR_TEST_KEY_NONE"), true, false};
    return {&policy::KeySources::jwks, QLatin1String("inline jwks #"), QLatin1String("ERR_EDIT_DUPLICATE"),
            QLatin1String("ERR_EDIT_KEY"), QLatin1String("ERR_EDIT_DUPLICATE"), false, true};
}

QString nameOf(const Key& key) { return key.kid.isEmpty() ? key.thumbprint : key.kid; }

bool isPinned(const QList<Key>& resolved, const Key& key)
{
    return std::any_of(resolved.cbegin(), resolved.cend(),
                       [&key](const Key& k) { return k.thumbprint == key.thumbprint; });
}

} // namespace

Result<PinnedKeys> pinKeysInto(const policy::KeySources& sources, const PinRequest& request,
                               const QString& issuerName)
{
    const TargetSpec spec = specFor(request.target);
    if (request.keys.isEmpty())
        return Error{QString(spec.emptyCode), QStringLiteral("%1 holds no key.").arg(request.sourceName), {}};

    PinnedKeys result{sources, {}};
    std::optional<QJsonObject>& set = result.sources.*spec.set;
    QJsonObject jwks = set.value_or(QJsonObject{});
    QJsonArray array = jwks.value(QLatin1String("keys")).toArray();
    for (const Key& key : request.keys) {
        // Checked against the keys added so far too: a request that repeats a key pins it once.
        if (isPinned(result.sources.resolved, key)) {
            if (spec.skipKnown)
                continue;
            return Error{QString(spec.duplicateCode),
                         QStringLiteral("The key %1 is already pinned for %2.").arg(nameOf(key), issuerName), {}};
        }
        const QJsonDocument jwk = QJsonDocument::fromJson(toPublicJwk(key));
        if (!jwk.isObject())
            return Error{QString(spec.unusableCode),
                         QStringLiteral("The key %1 from %2 could not be written as a JWK.")
                             .arg(nameOf(key), request.sourceName),
                         {}};
        array.append(jwk.object());
        Key pinned = key;
        pinned.source = spec.sourcePrefix + QString::number(array.size() - 1);
        pinned.testKey = spec.markTest;
        result.sources.resolved.append(pinned);
        result.added.append(pinned);
    }
    if (result.added.isEmpty())
        return Error{QString(spec.duplicateCode),
                     QStringLiteral("Every key in %1 is already pinned for %2.").arg(request.sourceName, issuerName),
                     {}};
    jwks.insert(QLatin1String("keys"), array);
    set = jwks;
    return result;
}

} // namespace jwb::keys
