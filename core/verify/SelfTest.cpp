// SPDX-License-Identifier: Apache-2.0
// Adversarial self-test: the known JWT attacks, minted against each issuer of a policy and run
// through the same pipeline the gateways' policy is exported from.
#include "verify/SelfTest.h"

#include "crypto/Signer.h"
#include "keys/PemExport.h"
#include "token/Base64Url.h"
#include "verify/PolicyVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>

namespace jwb::verify {

namespace {

using crypto::Algorithm;

constexpr qint64 kTenYears = 10LL * 365 * 24 * 3600;
const QString kAttackerUrl = QStringLiteral("https://attacker.invalid/jwks.json");

QByteArray compact(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QByteArray replaceSignature(const QByteArray& token, const QByteArray& rawSignature)
{
    return token.left(token.lastIndexOf('.') + 1) + token::encodeBase64Url(rawSignature);
}

QByteArray signatureBytes(const QByteArray& token)
{
    return token::decodeBase64Url(token.mid(token.lastIndexOf('.') + 1)).value_or(QByteArray());
}

// Everything needed to build variants against one issuer.
struct Target {
    int issuerIndex = 0;
    QString issuer;
    policy::EffectiveRules rules;
    Algorithm alg = Algorithm::Unsupported;
    std::optional<crypto::SigningKey> testKey;   // pinned in the policy copy
    std::optional<crypto::SigningKey> attacker;  // never pinned
    QList<keys::Key> publicKeys;                 // the issuer's own asymmetric keys
    QJsonObject header;
    QJsonObject claims;
};

class Builder {
public:
    Builder(const policy::Policy& original, qint64 at)
        : m_original(original)
        , m_at(at)
    {
    }

    SelfTestReport run(const std::atomic_bool* cancel);

private:
    bool prepare(Target& t, policy::Policy& copy);
    QByteArray sign(const Target& t, const QJsonObject& header, const QJsonObject& claims) const
    {
        return crypto::mintCompact(compact(header), compact(claims), &*t.testKey, t.alg);
    }
    void variantsFor(const Target& t, const std::function<void(SelfTestVariant, QByteArray)>& add);

    const policy::Policy& m_original;
    qint64 m_at;
};

bool Builder::prepare(Target& t, policy::Policy& copy)
{
    for (const QString& name : t.rules.algorithms) {
        const Algorithm a = crypto::algorithmFromName(name);
        if (a != Algorithm::Unsupported) {
            t.alg = a;
            break;
        }
    }
    if (t.alg == Algorithm::Unsupported)
        return false;
    auto test = crypto::SigningKey::generate(t.alg, QStringLiteral("selftest-") + crypto::algorithmName(t.alg));
    auto attacker = crypto::SigningKey::generate(t.alg, QStringLiteral("attacker-") + crypto::algorithmName(t.alg));
    if (!test || !attacker)
        return false;
    t.testKey = std::move(test).value();
    t.attacker = std::move(attacker).value();
    keys::Key pinned = t.testKey->publicKey();
    pinned.testKey = true;
    pinned.source = QStringLiteral("self-test key (generated, pinned in a copy of the policy)");
    copy.issuers[t.issuerIndex].keys.resolved.append(pinned);

    for (const keys::Key& k : m_original.issuers.at(t.issuerIndex).keys.resolved) {
        if (k.type != keys::KeyType::Oct)
            t.publicKeys.append(k);
    }

    const policy::Issuer& issuer = m_original.issuers.at(t.issuerIndex);
    t.header.insert(QStringLiteral("alg"), crypto::algorithmName(t.alg));
    if (t.rules.allowedHeaders.contains(u"typ"))
        t.header.insert(QStringLiteral("typ"), t.rules.allowedTypes && !t.rules.allowedTypes->isEmpty()
                                                   ? t.rules.allowedTypes->first()
                                                   : QStringLiteral("JWT"));
    if (t.rules.allowedHeaders.contains(u"kid"))
        t.header.insert(QStringLiteral("kid"), pinned.kid);

    const qint64 lifetime = std::min<qint64>(t.rules.maxLifetimeSeconds.value_or(600), 600);
    t.claims.insert(QStringLiteral("iss"), issuer.issuer);
    t.claims.insert(QStringLiteral("sub"), issuer.subjects.isEmpty() ? QStringLiteral("selftest") : issuer.subjects.first());
    if (!issuer.audiences.isEmpty())
        t.claims.insert(QStringLiteral("aud"), issuer.audiences.first());
    t.claims.insert(QStringLiteral("iat"), m_at - 60);
    t.claims.insert(QStringLiteral("nbf"), m_at - 60);
    t.claims.insert(QStringLiteral("exp"), m_at - 60 + lifetime);
    for (const QString& claim : t.rules.requiredClaims) {
        if (!t.claims.contains(claim))
            t.claims.insert(claim, QStringLiteral("selftest"));
    }
    return true;
}

void Builder::variantsFor(const Target& t, const std::function<void(SelfTestVariant, QByteArray)>& add)
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
    auto notApplicable = [&](const QString& id, const QString& title, const QString& why) {
        SelfTestVariant v = variant(id, title, false, {});
        v.applicable = false;
        v.notApplicableReason = why;
        add(v, {});
    };
    const QByteArray baseline = sign(t, t.header, t.claims);

    // alg "none" in the spellings libraries have been caught accepting.
    for (const QString& spelling : {QStringLiteral("none"), QStringLiteral("None"), QStringLiteral("NONE"), QStringLiteral("nOnE")}) {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("alg"), spelling);
        add(variant(QStringLiteral("alg-none-") + spelling, QStringLiteral("Unsecured token, alg \"%1\"").arg(spelling), false,
                    QStringLiteral("An unsecured token was accepted: anyone can mint identities.")),
            token::encodeBase64Url(compact(h)) + '.' + token::encodeBase64Url(compact(t.claims)) + '.');
    }

    // Algorithm confusion: the issuer's public key bytes used as an HMAC secret.
    if (t.publicKeys.isEmpty())
        notApplicable(QStringLiteral("hs256-public-key"), QStringLiteral("HS256 signed with a public key as secret"),
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
            add(variant(QStringLiteral("hs256-public-key-%1-%2").arg(encoding, label),
                        QStringLiteral("HS256 signed with public key '%1' (%2 bytes) as the secret").arg(label, encoding.toUpper()),
                        false,
                        QStringLiteral("Algorithm confusion: a token MACed with the issuer's public key was accepted.")),
                crypto::mintCompact(compact(h), compact(t.claims), &forger.value(), Algorithm::HS256));
        }
    }

    // Header members that try to choose the key, signed by the attacker's own key.
    {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("jwk"), QJsonDocument::fromJson(keys::toPublicJwk(t.attacker->publicKey())).object());
        h.insert(QStringLiteral("kid"), t.attacker->publicKey().kid);
        add(variant(QStringLiteral("embedded-jwk"), QStringLiteral("Attacker key embedded in the jwk header"), false,
                    QStringLiteral("A token signed by a key it carried itself was accepted.")),
            crypto::mintCompact(compact(h), compact(t.claims), &*t.attacker, t.alg));
    }
    for (const QString& member : {QStringLiteral("jku"), QStringLiteral("x5u")}) {
        QJsonObject h = t.header;
        h.insert(member, kAttackerUrl);
        h.insert(QStringLiteral("kid"), t.attacker->publicKey().kid);
        add(variant(member + QStringLiteral("-elsewhere"), QStringLiteral("%1 pointing at an attacker's URL").arg(member), false,
                    QStringLiteral("A token whose key came from a URL it named was accepted.")),
            crypto::mintCompact(compact(h), compact(t.claims), &*t.attacker, t.alg));
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
        add(variant(member + QStringLiteral("-tolerated"), QStringLiteral("Genuine token carrying %1").arg(member), true,
                    QStringLiteral("The policy allowlists '%1'. This core ignores it, but a gateway exported from this "
                                   "policy may honour it and fetch or trust the attacker's key: remove it from "
                                   "allowed_headers (RFC 8725 §3.10).")
                        .arg(member)),
            sign(t, h, t.claims));
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
            add(variant(id, QStringLiteral("kid '%1' with a matching HMAC secret").arg(kid), false,
                        QStringLiteral("A kid that names a file or a query result chose the key.")),
                crypto::mintCompact(compact(h), compact(t.claims), &*key, Algorithm::HS256));
        }
    }

    // Signature tampering.
    add(variant(QStringLiteral("signature-stripped"), QStringLiteral("Signature segment removed"), true,
                QStringLiteral("A token without signature was accepted.")),
        replaceSignature(baseline, {}));
    add(variant(QStringLiteral("signature-zeroed"), QStringLiteral("Signature replaced by zero bytes of the same length"), true,
                QStringLiteral("An all-zero signature was accepted (psychic signature class, CVE-2022-21449).")),
        replaceSignature(baseline, QByteArray(signatureBytes(baseline).size(), '\0')));
    if (crypto::family(t.alg) == crypto::Family::Ecdsa)
        add(variant(QStringLiteral("ecdsa-der"), QStringLiteral("ECDSA signature in DER instead of raw R||S"), true,
                    QStringLiteral("A DER-encoded ECDSA signature was accepted (RFC 7518 §3.4 requires R||S).")),
            replaceSignature(baseline, crypto::ecdsaRawToDer(signatureBytes(baseline))));
    else
        notApplicable(QStringLiteral("ecdsa-der"), QStringLiteral("ECDSA signature in DER instead of raw R||S"),
                      QStringLiteral("the issuer's first pinned algorithm is not ECDSA"));

    {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("x-selftest")});
        h.insert(QStringLiteral("x-selftest"), true);
        add(variant(QStringLiteral("crit-unknown"), QStringLiteral("crit naming an unknown extension"), true,
                    QStringLiteral("A token with a critical extension the verifier does not implement was accepted "
                                   "(RFC 7515 §4.1.11).")),
            sign(t, h, t.claims));
    }

    // Time.
    auto withTimes = [&t](qint64 iat, qint64 nbf, qint64 exp) {
        QJsonObject c = t.claims;
        c.insert(QStringLiteral("iat"), iat);
        c.insert(QStringLiteral("nbf"), nbf);
        c.insert(QStringLiteral("exp"), exp);
        return c;
    };
    add(variant(QStringLiteral("expired"), QStringLiteral("Expired an hour ago"), true,
                QStringLiteral("An expired token was accepted.")),
        sign(t, t.header, withTimes(m_at - 4200, m_at - 4200, m_at - 3600)));
    add(variant(QStringLiteral("expired-2-minutes"), QStringLiteral("Expired two minutes ago"), true,
                QStringLiteral("A token that expired two minutes ago was accepted: clock skew is %1 s; keep it at 60 s or "
                               "less (most verifiers use 0 to 60 s).")
                    .arg(t.rules.clockSkewSeconds)),
        sign(t, t.header, withTimes(m_at - 420, m_at - 420, m_at - 120)));
    add(variant(QStringLiteral("not-yet-valid"), QStringLiteral("Not valid for another hour"), true,
                QStringLiteral("A token that is not yet valid was accepted.")),
        sign(t, t.header, withTimes(m_at - 60, m_at + 3600, m_at + 3660)));
    {
        const qint64 limit = t.rules.maxLifetimeSeconds.value_or(0);
        const qint64 exp = limit > 0 ? m_at - 60 + limit + 3600 : m_at + kTenYears;
        add(variant(QStringLiteral("lifetime-over-limit"),
                    limit > 0 ? QStringLiteral("Lifetime an hour over the %1 s limit").arg(limit)
                              : QStringLiteral("Lifetime of ten years"),
                    true,
                    limit > 0 ? QStringLiteral("A token living longer than max_lifetime_seconds was accepted.")
                              : QStringLiteral("A token valid for ten years was accepted: the policy sets no "
                                               "max_lifetime_seconds.")),
            sign(t, t.header, withTimes(m_at - 60, m_at - 60, exp)));
    }

    // Audience and issuer binding.
    QString foreignAudience;
    for (const policy::Issuer& other : m_original.issuers) {
        for (const QString& aud : other.audiences) {
            if (foreignAudience.isEmpty() && other.issuer != t.issuer
                && !m_original.issuers.at(t.issuerIndex).audiences.contains(aud))
                foreignAudience = aud;
        }
    }
    if (foreignAudience.isEmpty()) {
        notApplicable(QStringLiteral("audience-other-row"), QStringLiteral("Audience from another issuer's row"),
                      QStringLiteral("no other issuer has an audience outside this issuer's row"));
    } else {
        QJsonObject c = t.claims;
        c.insert(QStringLiteral("aud"), foreignAudience);
        add(variant(QStringLiteral("audience-other-row"),
                    QStringLiteral("Audience '%1' from another issuer's row").arg(foreignAudience), true,
                    QStringLiteral("The issuer can mint tokens for an audience outside its row.")),
            sign(t, t.header, c));
    }
    {
        QJsonObject c = t.claims;
        c.remove(QStringLiteral("aud"));
        add(variant(QStringLiteral("audience-missing"), QStringLiteral("No aud claim"), true,
                    QStringLiteral("A token without audience was accepted: it is valid for every service.")),
            sign(t, t.header, c));
    }
    {
        QJsonObject c = t.claims;
        c.insert(QStringLiteral("iss"), QStringLiteral("https://attacker.invalid/"));
        add(variant(QStringLiteral("foreign-issuer"), QStringLiteral("Issuer the policy does not know"), true,
                    QStringLiteral("A token from an unknown issuer was accepted.")),
            sign(t, t.header, c));
    }
    {
        QJsonObject h = t.header;
        h.insert(QStringLiteral("typ"), QStringLiteral("secevent+jwt"));
        add(variant(QStringLiteral("typ-mismatch"), QStringLiteral("A security event token (typ secevent+jwt) used as access token"),
                    true,
                    QStringLiteral("A JWT of another kind was accepted: set allowed_types and require_type so that "
                                   "tokens are not confused across uses (RFC 8725 §3.11).")),
            sign(t, h, t.claims));
    }

    // Duplicate members: parsers that keep the last one disagree with those that keep the first.
    {
        QByteArray payload = compact(t.claims);
        payload.chop(1);
        payload += ",\"exp\":" + QByteArray::number(m_at + kTenYears) + '}';
        add(variant(QStringLiteral("duplicate-claims"), QStringLiteral("exp given twice, the second far in the future"), true,
                    QStringLiteral("A claims set with a duplicate member was accepted.")),
            crypto::mintCompact(compact(t.header), payload, &*t.testKey, t.alg));
        QByteArray header = compact(t.header);
        header.insert(1, "\"alg\":\"none\",");
        add(variant(QStringLiteral("duplicate-alg"), QStringLiteral("alg given twice"), true,
                    QStringLiteral("A header with a duplicate alg was accepted.")),
            crypto::mintCompact(header, compact(t.claims), &*t.testKey, t.alg));
    }
}

SelfTestReport Builder::run(const std::atomic_bool* cancel)
{
    SelfTestReport report;
    policy::Policy copy = m_original;
    std::vector<Target> targets;
    for (int i = 0; i < m_original.issuers.size(); ++i) {
        Target t;
        t.issuerIndex = i;
        t.issuer = m_original.issuers.at(i).issuer;
        t.rules = m_original.effectiveRules(m_original.issuers.at(i));
        if (!prepare(t, copy)) {
            report.notes.append(QStringLiteral("%1: no implemented algorithm is pinned, so every token is rejected; "
                                               "no variant was generated.")
                                    .arg(t.issuer));
            continue;
        }
        targets.push_back(std::move(t));
    }
    const PolicyVerifier verifier(copy);
    for (const Target& t : targets) {
        if (cancel && cancel->load())
            break;
        const Trace baseline = verifier.verify(sign(t, t.header, t.claims), VerifyOptions{m_at});
        if (!baseline.accepted) {
            const TraceStep* f = baseline.firstFailure();
            report.notes.append(QStringLiteral("%1: a well-formed token signed with a pinned test key is itself rejected "
                                               "at '%2' (%3); variants still ran.")
                                    .arg(t.issuer, f ? stepIdName(f->id) : QString(), f ? f->reason() : QString()));
        }
        variantsFor(t, [&](SelfTestVariant v, const QByteArray& token) {
            if (v.applicable) {
                v.trace = verifier.verify(token, VerifyOptions{m_at});
                v.accepted = v.trace.accepted;
            }
            if (!v.accepted)
                v.finding.clear();
            report.variants.append(std::move(v));
        });
    }
    return report;
}

} // namespace

int SelfTestReport::acceptedCount() const
{
    return static_cast<int>(std::count_if(variants.begin(), variants.end(), [](const SelfTestVariant& v) { return v.accepted; }));
}

SelfTestReport runSelfTest(const policy::Policy& policy, qint64 atUnixSeconds, const std::atomic_bool* cancel)
{
    return Builder(policy, atUnixSeconds).run(cancel);
}

QJsonObject selfTestToJson(const SelfTestReport& report)
{
    QJsonArray variants;
    for (const SelfTestVariant& v : report.variants) {
        QJsonObject o{{QStringLiteral("id"), v.id},
                      {QStringLiteral("title"), v.title},
                      {QStringLiteral("issuer"), v.issuer},
                      {QStringLiteral("signed_with_test_key"), v.signedWithTestKey}};
        if (!v.applicable) {
            o.insert(QStringLiteral("verdict"), QStringLiteral("not_applicable"));
            o.insert(QStringLiteral("reason"), v.notApplicableReason);
        } else if (v.accepted) {
            o.insert(QStringLiteral("verdict"), QStringLiteral("accepted"));
            o.insert(QStringLiteral("finding"), v.finding);
        } else {
            o.insert(QStringLiteral("verdict"), QStringLiteral("rejected"));
            if (const TraceStep* f = v.trace.firstFailure()) {
                o.insert(QStringLiteral("rejected_at"), stepIdName(f->id));
                o.insert(QStringLiteral("code"), f->code.toString());
                o.insert(QStringLiteral("reason"), f->reason());
            }
        }
        o.insert(QStringLiteral("fingerprint"), v.trace.fingerprint());
        variants.append(o);
    }
    return {{QStringLiteral("accepted"), report.acceptedCount()},
            {QStringLiteral("variants"), variants},
            {QStringLiteral("notes"), QJsonArray::fromStringList(report.notes)}};
}

} // namespace jwb::verify
