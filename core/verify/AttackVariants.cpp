// SPDX-License-Identifier: Apache-2.0
// The known JWT attacks against one issuer, built once for the self-test and the runtime probe.
#include "verify/AttackVariants.h"

#include "keys/PemExport.h"
#include "token/Base64Url.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <tuple>

namespace jwb::verify {

namespace {

using crypto::Algorithm;

constexpr qint64 kTenYears = 10LL * 365 * 24 * 3600;
const QString kAttackerUrl = QStringLiteral("https://attacker.invalid/jwks.json");

QByteArray replaceSignature(const QByteArray& token, const QByteArray& rawSignature)
{
    return token.left(token.lastIndexOf('.') + 1) + token::encodeBase64Url(rawSignature);
}

QByteArray signatureBytes(const QByteArray& token)
{
    return token::decodeBase64Url(token.mid(token.lastIndexOf('.') + 1)).value_or(QByteArray());
}

} // namespace

QByteArray compactJson(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QByteArray signTrusted(const AttackTarget& t, const QJsonObject& header, const QJsonObject& claims)
{
    // A null key would make mintCompact write the raw signature verbatim: an unsigned token.
    if (!t.trusted)
        return {};
    return crypto::mintCompact(compactJson(header), compactJson(claims), &*t.trusted, t.alg);
}

Algorithm firstImplementedAlgorithm(const policy::EffectiveRules& rules)
{
    for (const QString& name : rules.algorithms) {
        const Algorithm a = crypto::algorithmFromName(name);
        if (a != Algorithm::Unsupported)
            return a;
    }
    return Algorithm::Unsupported;
}

bool prepareAttackTarget(const policy::Policy& policy, int issuerIndex, Algorithm alg, qint64 at,
                         std::optional<crypto::SigningKey> trusted, const QString& kid, AttackTarget& t)
{
    const policy::Issuer& issuer = policy.issuers.at(issuerIndex);
    t.issuerIndex = issuerIndex;
    t.issuer = issuer.issuer;
    t.rules = policy.effectiveRules(issuer);
    t.alg = alg;
    if (alg == Algorithm::Unsupported)
        return false;
    auto attacker = crypto::SigningKey::generate(alg, QStringLiteral("attacker-") + crypto::algorithmName(alg));
    if (!attacker)
        return false;
    t.trusted = std::move(trusted);
    t.attacker = std::move(attacker).value();

    for (const keys::Key& k : issuer.keys.resolved) {
        if (k.type != keys::KeyType::Oct)
            t.publicKeys.append(k);
    }

    t.header.insert(QStringLiteral("alg"), crypto::algorithmName(alg));
    if (t.rules.allowedHeaders.contains(u"typ"))
        t.header.insert(QStringLiteral("typ"), t.rules.allowedTypes && !t.rules.allowedTypes->isEmpty()
                                                   ? t.rules.allowedTypes->first()
                                                   : QStringLiteral("JWT"));
    if (t.rules.allowedHeaders.contains(u"kid"))
        t.header.insert(QStringLiteral("kid"), kid);

    const qint64 lifetime = std::min<qint64>(t.rules.maxLifetimeSeconds.value_or(600), 600);
    t.claims.insert(QStringLiteral("iss"), issuer.issuer);
    t.claims.insert(QStringLiteral("sub"), issuer.subjects.isEmpty() ? QStringLiteral("selftest") : issuer.subjects.first());
    if (!issuer.audiences.isEmpty())
        t.claims.insert(QStringLiteral("aud"), issuer.audiences.first());
    t.claims.insert(QStringLiteral("iat"), at - 60);
    t.claims.insert(QStringLiteral("nbf"), at - 60);
    t.claims.insert(QStringLiteral("exp"), at - 60 + lifetime);
    for (const QString& claim : t.rules.requiredClaims) {
        if (!t.claims.contains(claim))
            t.claims.insert(claim, QStringLiteral("selftest"));
    }
    return true;
}

void buildAttackVariants(const policy::Policy& policy, const AttackTarget& t, qint64 at,
                         const std::function<void(AttackVariant)>& sink)
{
    auto variant = [&t](const QString& id, const QString& title, bool testKey, const QString& finding) {
        SelfTestVariant v;
        v.id = id;
        v.title = title;
        v.issuer = t.issuer;
        v.signedWithTestKey = testKey;
        v.finding = finding;
        return v;
    };
    auto add = [&](const QString& variantClass, SelfTestVariant v, QByteArray token) {
        if (v.signedWithTestKey && !t.trusted)
            return;
        sink(AttackVariant{std::move(v), variantClass, std::move(token)});
    };
    auto notApplicable = [&](const QString& variantClass, const QString& id, const QString& title, const QString& why) {
        SelfTestVariant v = variant(id, title, false, {});
        v.applicable = false;
        v.notApplicableReason = why;
        add(variantClass, v, {});
    };
    auto sign = [&t](const QJsonObject& header, const QJsonObject& claims) { return signTrusted(t, header, claims); };
    const QByteArray baseline = sign(t.header, t.claims);

    // alg "none" in the spellings libraries have been caught accepting.
    for (const QString& spelling : {QStringLiteral("none"), QStringLiteral("None"), QStringLiteral("NONE"), QStringLiteral("nOnE")}) {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("alg"), spelling);
        add(QStringLiteral("alg_none"),
            variant(QStringLiteral("alg-none-") + spelling, QStringLiteral("Unsecured token, alg \"%1\"").arg(spelling), false,
                    QStringLiteral("An unsecured token was accepted: anyone can mint identities.")),
            token::encodeBase64Url(compactJson(h)) + '.' + token::encodeBase64Url(compactJson(t.claims)) + '.');
    }

    // Algorithm confusion: the issuer's public key bytes used as an HMAC secret.
    if (t.publicKeys.isEmpty())
        notApplicable(QStringLiteral("alg_confusion"), QStringLiteral("hs256-public-key"),
                      QStringLiteral("HS256 signed with a public key as secret"),
                      QStringLiteral("the issuer pins no asymmetric key"));
    for (const keys::Key& k : t.publicKeys) {
        const auto pem = keys::toPublicPem(k);
        const std::pair<QString, QByteArray> encodings[] = {{QStringLiteral("pem"), pem ? pem.value() : QByteArray()},
                                                            {QStringLiteral("jwk"), keys::toPublicJwk(k)}};
        for (const auto& [encoding, secret] : encodings) {
            if (secret.isEmpty())
                continue;
            auto forger = crypto::SigningKey::fromSecret(secret, k.kid);
            if (!forger)
                continue;
            QJsonObject h = t.header;
            h.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
            if (!k.kid.isEmpty())
                h.insert(QStringLiteral("kid"), k.kid);
            const QString label = k.kid.isEmpty() ? k.thumbprint.left(8) : k.kid;
            add(QStringLiteral("alg_confusion"),
                variant(QStringLiteral("hs256-public-key-%1-%2").arg(encoding, label),
                        QStringLiteral("HS256 signed with public key '%1' (%2 bytes) as the secret").arg(label, encoding.toUpper()),
                        false,
                        QStringLiteral("Algorithm confusion: a token MACed with the issuer's public key was accepted.")),
                crypto::mintCompact(compactJson(h), compactJson(t.claims), &forger.value(), Algorithm::HS256));
        }
    }

    // Header members that try to choose the key, signed by the attacker's own key.
    {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("jwk"), QJsonDocument::fromJson(keys::toPublicJwk(t.attacker->publicKey())).object());
        h.insert(QStringLiteral("kid"), t.attacker->publicKey().kid);
        add(QStringLiteral("embedded_key"),
            variant(QStringLiteral("embedded-jwk"), QStringLiteral("Attacker key embedded in the jwk header"), false,
                    QStringLiteral("A token signed by a key it carried itself was accepted.")),
            crypto::mintCompact(compactJson(h), compactJson(t.claims), &*t.attacker, t.alg));
    }
    for (const QString& member : {QStringLiteral("jku"), QStringLiteral("x5u")}) {
        QJsonObject h = t.header;
        h.insert(member, kAttackerUrl);
        h.insert(QStringLiteral("kid"), t.attacker->publicKey().kid);
        add(QStringLiteral("key_url"),
            variant(member + QStringLiteral("-elsewhere"), QStringLiteral("%1 pointing at an attacker's URL").arg(member), false,
                    QStringLiteral("A token whose key came from a URL it named was accepted.")),
            crypto::mintCompact(compactJson(h), compactJson(t.claims), &*t.attacker, t.alg));
    }
    // The same members on an otherwise genuine token: accepted means the policy allowlists them,
    // and any exported verifier that honours them would let the token pick its key.
    for (const QString& member : {QStringLiteral("jku"), QStringLiteral("x5u"), QStringLiteral("jwk"), QStringLiteral("x5c")}) {
        QJsonObject h = t.header;
        if (member == u"jwk")
            h.insert(member, QJsonDocument::fromJson(keys::toPublicJwk(t.attacker->publicKey())).object());
        else if (member == u"x5c")
            h.insert(member, QJsonArray{QStringLiteral("MIIBattacker")});
        else
            h.insert(member, kAttackerUrl);
        add(QStringLiteral("header"),
            variant(member + QStringLiteral("-tolerated"), QStringLiteral("Genuine token carrying %1").arg(member), true,
                    QStringLiteral("The policy allowlists '%1'. This core ignores it, but a gateway exported from this "
                                   "policy may honour it and fetch or trust the attacker's key: remove it from "
                                   "allowed_headers (RFC 8725 §3.10).")
                        .arg(member)),
            sign(h, t.claims));
    }

    // kid injection: path traversal to an empty file, and SQL picking a known value as the key.
    {
        auto nullKey = crypto::SigningKey::fromSecret(QByteArray(32, '\0'), QStringLiteral("traversal"));
        auto sqlKey = crypto::SigningKey::fromSecret(QByteArray(32, 'A'), QStringLiteral("sql"));
        const std::tuple<QString, QString, const std::optional<crypto::SigningKey>> cases[] = {
            {QStringLiteral("kid-traversal"), QStringLiteral("../../../../../../dev/null"),
             nullKey ? std::optional(nullKey.value()) : std::nullopt},
            {QStringLiteral("kid-sql-injection"), QStringLiteral("x' UNION SELECT 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' -- "),
             sqlKey ? std::optional(sqlKey.value()) : std::nullopt},
        };
        for (const auto& [id, kid, key] : cases) {
            if (!key)
                continue;
            QJsonObject h = t.header;
            h.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
            h.insert(QStringLiteral("kid"), kid);
            add(QStringLiteral("kid_injection"),
                variant(id, QStringLiteral("kid '%1' with a matching HMAC secret").arg(kid), false,
                        QStringLiteral("A kid that names a file or a query result chose the key.")),
                crypto::mintCompact(compactJson(h), compactJson(t.claims), &*key, Algorithm::HS256));
        }
    }

    // Signature tampering.
    add(QStringLiteral("signature"),
        variant(QStringLiteral("signature-stripped"), QStringLiteral("Signature segment removed"), true,
                QStringLiteral("A token without signature was accepted.")),
        replaceSignature(baseline, {}));
    add(QStringLiteral("signature"),
        variant(QStringLiteral("signature-zeroed"), QStringLiteral("Signature replaced by zero bytes of the same length"), true,
                QStringLiteral("An all-zero signature was accepted (psychic signature class, CVE-2022-21449).")),
        replaceSignature(baseline, QByteArray(signatureBytes(baseline).size(), '\0')));
    if (crypto::family(t.alg) == crypto::Family::Ecdsa)
        add(QStringLiteral("signature"),
            variant(QStringLiteral("ecdsa-der"), QStringLiteral("ECDSA signature in DER instead of raw R||S"), true,
                    QStringLiteral("A DER-encoded ECDSA signature was accepted (RFC 7518 §3.4 requires R||S).")),
            replaceSignature(baseline, crypto::ecdsaRawToDer(signatureBytes(baseline))));
    else
        notApplicable(QStringLiteral("signature"), QStringLiteral("ecdsa-der"),
                      QStringLiteral("ECDSA signature in DER instead of raw R||S"),
                      QStringLiteral("the issuer's first pinned algorithm is not ECDSA"));

    {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("x-selftest")});
        h.insert(QStringLiteral("x-selftest"), true);
        add(QStringLiteral("crit"),
            variant(QStringLiteral("crit-unknown"), QStringLiteral("crit naming an unknown extension"), true,
                    QStringLiteral("A token with a critical extension the verifier does not implement was accepted "
                                   "(RFC 7515 §4.1.11).")),
            sign(h, t.claims));
    }

    // Time.
    auto withTimes = [&t](qint64 iat, qint64 nbf, qint64 exp) {
        QJsonObject c = t.claims;
        c.insert(QStringLiteral("iat"), iat);
        c.insert(QStringLiteral("nbf"), nbf);
        c.insert(QStringLiteral("exp"), exp);
        return c;
    };
    add(QStringLiteral("expiry"),
        variant(QStringLiteral("expired"), QStringLiteral("Expired an hour ago"), true,
                QStringLiteral("An expired token was accepted.")),
        sign(t.header, withTimes(at - 4200, at - 4200, at - 3600)));
    add(QStringLiteral("expiry"),
        variant(QStringLiteral("expired-2-minutes"), QStringLiteral("Expired two minutes ago"), true,
                QStringLiteral("A token that expired two minutes ago was accepted: clock skew is %1 s; keep it at 60 s or "
                               "less (most verifiers use 0 to 60 s).")
                    .arg(t.rules.clockSkewSeconds)),
        sign(t.header, withTimes(at - 420, at - 420, at - 120)));
    add(QStringLiteral("not_before"),
        variant(QStringLiteral("not-yet-valid"), QStringLiteral("Not valid for another hour"), true,
                QStringLiteral("A token that is not yet valid was accepted.")),
        sign(t.header, withTimes(at - 60, at + 3600, at + 3660)));
    {
        const qint64 limit = t.rules.maxLifetimeSeconds.value_or(0);
        const qint64 exp = limit > 0 ? at - 60 + limit + 3600 : at + kTenYears;
        add(QStringLiteral("lifetime"),
            variant(QStringLiteral("lifetime-over-limit"),
                    limit > 0 ? QStringLiteral("Lifetime an hour over the %1 s limit").arg(limit)
                              : QStringLiteral("Lifetime of ten years"),
                    true,
                    limit > 0 ? QStringLiteral("A token living longer than max_lifetime_seconds was accepted.")
                              : QStringLiteral("A token valid for ten years was accepted: the policy sets no "
                                               "max_lifetime_seconds.")),
            sign(t.header, withTimes(at - 60, at - 60, exp)));
    }

    // Audience and issuer binding.
    QString foreignAudience;
    for (const policy::Issuer& other : policy.issuers) {
        for (const QString& aud : other.audiences) {
            if (foreignAudience.isEmpty() && other.issuer != t.issuer
                && !policy.issuers.at(t.issuerIndex).audiences.contains(aud))
                foreignAudience = aud;
        }
    }
    if (foreignAudience.isEmpty()) {
        notApplicable(QStringLiteral("audience"), QStringLiteral("audience-other-row"),
                      QStringLiteral("Audience from another issuer's row"),
                      QStringLiteral("no other issuer has an audience outside this issuer's row"));
    } else {
        QJsonObject c = t.claims;
        c.insert(QStringLiteral("aud"), foreignAudience);
        add(QStringLiteral("audience"),
            variant(QStringLiteral("audience-other-row"),
                    QStringLiteral("Audience '%1' from another issuer's row").arg(foreignAudience), true,
                    QStringLiteral("The issuer can mint tokens for an audience outside its row.")),
            sign(t.header, c));
    }
    {
        QJsonObject c = t.claims;
        c.remove(QStringLiteral("aud"));
        add(QStringLiteral("audience"),
            variant(QStringLiteral("audience-missing"), QStringLiteral("No aud claim"), true,
                    QStringLiteral("A token without audience was accepted: it is valid for every service.")),
            sign(t.header, c));
    }
    {
        QJsonObject c = t.claims;
        c.insert(QStringLiteral("iss"), QStringLiteral("https://attacker.invalid/"));
        add(QStringLiteral("issuer"),
            variant(QStringLiteral("foreign-issuer"), QStringLiteral("Issuer the policy does not know"), true,
                    QStringLiteral("A token from an unknown issuer was accepted.")),
            sign(t.header, c));
    }
    {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("typ"), QStringLiteral("secevent+jwt"));
        add(QStringLiteral("typ"),
            variant(QStringLiteral("typ-mismatch"), QStringLiteral("A security event token (typ secevent+jwt) used as access token"),
                    true,
                    QStringLiteral("A JWT of another kind was accepted: set allowed_types and require_type so that "
                                   "tokens are not confused across uses (RFC 8725 §3.11).")),
            sign(h, t.claims));
    }

    // Duplicate members: parsers that keep the last one disagree with those that keep the first.
    if (t.trusted) {
        QByteArray payload = compactJson(t.claims);
        payload.chop(1);
        payload += ",\"exp\":" + QByteArray::number(at + kTenYears) + '}';
        add(QStringLiteral("duplicate_claims"),
            variant(QStringLiteral("duplicate-claims"), QStringLiteral("exp given twice, the second far in the future"), true,
                    QStringLiteral("A claims set with a duplicate member was accepted.")),
            crypto::mintCompact(compactJson(t.header), payload, &*t.trusted, t.alg));
        QByteArray header = compactJson(t.header);
        header.insert(1, "\"alg\":\"none\",");
        add(QStringLiteral("duplicate_claims"),
            variant(QStringLiteral("duplicate-alg"), QStringLiteral("alg given twice"), true,
                    QStringLiteral("A header with a duplicate alg was accepted.")),
            crypto::mintCompact(header, compactJson(t.claims), &*t.trusted, t.alg));
    }
}

} // namespace jwb::verify
