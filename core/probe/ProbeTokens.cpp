// SPDX-License-Identifier: Apache-2.0
// The probe's token set: the self-test's attacks signed with the caller's staging key, valid
// controls per audience, and boundary tokens placed a margin away from the policy's own numbers.
// The core decides each token's expected fate at the minting instant.
#include "probe/Probe.h"

#include "verify/AttackVariants.h"
#include "verify/PolicyVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <array>

namespace jwb::probe {

namespace {

using verify::AttackTarget;

// Every class that needs a genuine signature from the issuer's key, in matrix order.
const std::array kSignedClasses = {
    u"valid", u"signature", u"crit", u"expiry", u"not_before", u"issued_at", u"lifetime", u"audience",
    u"issuer", u"typ", u"header", u"required_claims", u"subject", u"duplicate_claims",
};

// Registered JWS header members (RFC 7515, 7797 aside) that select nothing by themselves, plus a
// private one: a verifier that allowlists headers rejects each the policy does not allow. The
// key-selecting members (jku, x5u, jwk, x5c) are the self-test's "<member>-tolerated" variants.
struct ExtraHeader {
    const char16_t* name;
    QJsonValue (*value)(const QString& kid);
};
const std::array kExtraHeaders = {
    ExtraHeader{u"typ", [](const QString&) { return QJsonValue(QStringLiteral("JWT")); }},
    ExtraHeader{u"cty", [](const QString&) { return QJsonValue(QStringLiteral("text/plain")); }},
    ExtraHeader{u"kid", [](const QString& kid) { return QJsonValue(kid); }},
    ExtraHeader{u"x5t", [](const QString&) { return QJsonValue(QStringLiteral("QUFBQUFBQUFBQUFBQUFBQUFBQUE")); }},
    ExtraHeader{u"x5t#S256",
                [](const QString&) { return QJsonValue(QStringLiteral("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE")); }},
    ExtraHeader{u"x-probe", [](const QString&) { return QJsonValue(true); }},
};

const QString kWrongAudience = QStringLiteral("https://probe.invalid/not-an-audience");
const QString kUnknownSubject = QStringLiteral("probe-unknown-subject");
const QString kWrongType = QStringLiteral("x-probe+jwt");

QString controlFor(const QString& cls, const QString& variant, const QString& expectedStep)
{
    if (cls == u"valid")
        return {};
    if (cls == u"alg_none" || cls == u"alg_confusion")
        return QStringLiteral("algorithm_pin");
    if (cls == u"kid_injection")
        return expectedStep == u"algorithm" ? QStringLiteral("algorithm_pin") : QStringLiteral("key_pinning");
    if (cls == u"embedded_key" || cls == u"key_url" || cls == u"signature")
        return QStringLiteral("key_pinning");
    if (cls == u"crit")
        return QStringLiteral("crit");
    if (cls == u"expiry")
        return variant.startsWith(u"skew-") || variant == u"expired-2-minutes" ? QStringLiteral("clock_skew")
                                                                               : QStringLiteral("exp_required");
    if (cls == u"not_before")
        return QStringLiteral("nbf");
    if (cls == u"issued_at")
        return QStringLiteral("iat");
    if (cls == u"lifetime")
        return QStringLiteral("max_lifetime");
    if (cls == u"audience")
        return QStringLiteral("audience_binding");
    if (cls == u"issuer")
        return QStringLiteral("issuer");
    if (cls == u"typ")
        return QStringLiteral("typ");
    if (cls == u"header")
        return QStringLiteral("header_allowlist");
    if (cls == u"required_claims")
        return variant == u"missing-claim-exp" ? QStringLiteral("exp_required") : QStringLiteral("required_claims");
    if (cls == u"subject")
        return QStringLiteral("subject");
    if (cls == u"duplicate_claims")
        return variant == u"duplicate-alg" ? QStringLiteral("algorithm_pin") : QStringLiteral("exp_required");
    return {};
}

struct Verdict {
    bool accepted = false;
    QString step;
    bool operator==(const Verdict&) const = default;
};

Verdict verdictOf(const verify::Trace& trace)
{
    const verify::TraceStep* f = trace.firstFailure();
    return {trace.accepted, trace.accepted || !f ? QString() : verify::stepIdName(f->id)};
}

class TokenMinter {
public:
    TokenMinter(const policy::Policy& policy, const AttackTarget& target, const TokenSetOptions& options, TokenSet& set)
        : m_verifier(policy)
        , m_t(target)
        , m_now(options.nowUnixSeconds)
        , m_margin(options.marginSeconds)
        , m_set(set)
    {
    }

    void add(const QString& variant, const QString& cls, const QByteArray& token)
    {
        ProbeToken p;
        p.variant = variant;
        p.variantClass = cls;
        p.issuer = m_t.issuer;
        p.token = token;
        p.trace = m_verifier.verify(token, verify::VerifyOptions{m_now});
        const Verdict now = verdictOf(p.trace);
        p.expectedAccepted = now.accepted;
        p.expectedStep = now.step;
        p.control = controlFor(cls, variant, now.step);
        p.fingerprint = p.trace.fingerprint();
        p.audience = audienceOf(token);
        stableWindow(p, now);
        m_set.tokens.append(std::move(p));
    }

    // A genuine token with `claims` replacing members of the baseline (a null value removes one).
    void addSigned(const QString& variant, const QString& cls, const QJsonObject& header, const QJsonObject& claims)
    {
        add(variant, cls, verify::signTrusted(m_t, header, claims));
    }

    qint64 now() const { return m_now; }
    int margin() const { return m_margin; }

private:
    verify::Trace at(const QByteArray& token, qint64 instant) const
    {
        verify::VerifyOptions o{instant};
        o.computeFingerprint = false;
        return m_verifier.verify(token, o);
    }

    // The interval around the minting instant in which the core decides the same: up to the margin
    // back (the verifier's clock may be behind), and forward as far as the checks below reach. A
    // boundary token sits exactly `margin` from its edge, and the edge itself belongs to the other
    // side, so the margin's last second is outside.
    void stableWindow(ProbeToken& p, const Verdict& now) const
    {
        const qint64 inside = m_margin - 1;
        if (verdictOf(at(p.token, m_now - inside)) != now || verdictOf(at(p.token, m_now + inside)) != now) {
            p.stableFrom = m_now + 1;
            p.stableUntil = m_now;
            return;
        }
        p.stableFrom = m_now - inside;
        p.stableUntil = m_now + inside;
        for (const qint64 ahead : {qint64(2) * m_margin, qint64(60), qint64(300), qint64(3600)}) {
            if (ahead <= p.stableUntil - m_now)
                continue;
            if (verdictOf(at(p.token, m_now + ahead)) != now)
                break;
            p.stableUntil = m_now + ahead;
        }
    }

    static QString audienceOf(const QByteArray& token)
    {
        const QList<QByteArray> parts = token.split('.');
        if (parts.size() < 2)
            return {};
        const auto payload = QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding);
        const QJsonValue aud = QJsonDocument::fromJson(payload).object().value(QStringLiteral("aud"));
        if (aud.isArray()) {
            QStringList all;
            for (const QJsonValue v : aud.toArray())
                all << v.toString();
            return all.join(u',');
        }
        return aud.toString();
    }

    const verify::PolicyVerifier m_verifier;
    const AttackTarget& m_t;
    qint64 m_now;
    int m_margin;
    TokenSet& m_set;
};

QJsonObject with(QJsonObject o, std::initializer_list<std::pair<QString, QJsonValue>> changes)
{
    for (const auto& [name, value] : changes) {
        if (value.isNull())
            o.remove(name);
        else
            o.insert(name, value);
    }
    return o;
}

// The boundary tokens from the policy's own numbers, each `margin` seconds from its edge.
void addBoundaries(TokenMinter& m, const AttackTarget& t, const policy::Issuer& issuer, const QString& kid,
                   QStringList& notCovered)
{
    const qint64 now = m.now();
    const qint64 margin = m.margin();
    const qint64 skew = t.rules.clockSkewSeconds;
    const qint64 life = std::min<qint64>(t.rules.maxLifetimeSeconds.value_or(600), 600);
    const qint64 issued = now - 2 * margin;
    const QString iat = QStringLiteral("iat");
    const QString nbf = QStringLiteral("nbf");
    const QString exp = QStringLiteral("exp");

    // exp just inside and just outside the skew; iat and nbf a short life before it.
    for (const auto& [id, expAt] : {std::pair{QStringLiteral("skew-inside"), now - skew + margin},
                                    std::pair{QStringLiteral("skew-outside"), now - skew - margin}}) {
        const qint64 start = expAt - std::min<qint64>(60, life / 2);
        m.addSigned(id, QStringLiteral("expiry"), t.header, with(t.claims, {{iat, start}, {nbf, start}, {exp, expAt}}));
    }
    if (const auto max = t.rules.maxLifetimeSeconds) {
        m.addSigned(QStringLiteral("lifetime-inside"), QStringLiteral("lifetime"), t.header,
                    with(t.claims, {{iat, issued}, {nbf, issued}, {exp, issued + *max - margin}}));
        m.addSigned(QStringLiteral("lifetime-outside"), QStringLiteral("lifetime"), t.header,
                    with(t.claims, {{iat, issued}, {nbf, issued}, {exp, issued + *max + margin}}));
    } else {
        notCovered << QStringLiteral("lifetime (lifetime-inside, lifetime-outside): the policy sets no max_lifetime_seconds");
    }
    m.addSigned(QStringLiteral("nbf-inside-skew"), QStringLiteral("not_before"), t.header,
                with(t.claims, {{nbf, now + skew - margin}}));
    m.addSigned(QStringLiteral("nbf-outside-skew"), QStringLiteral("not_before"), t.header,
                with(t.claims, {{nbf, now + skew + margin}}));
    for (const auto& [id, iatAt] : {std::pair{QStringLiteral("iat-future-inside-skew"), now + skew - margin},
                                    std::pair{QStringLiteral("iat-future-outside-skew"), now + skew + margin}}) {
        m.addSigned(id, QStringLiteral("issued_at"), t.header,
                    with(t.claims, {{iat, iatAt}, {nbf, issued}, {exp, std::max(iatAt, now) + life - margin}}));
    }

    for (const QString& claim : t.rules.requiredClaims)
        m.addSigned(QStringLiteral("missing-claim-") + claim, QStringLiteral("required_claims"), t.header,
                    with(t.claims, {{claim, QJsonValue::Null}}));

    for (const ExtraHeader& h : kExtraHeaders) {
        const QString name = QString::fromUtf16(h.name);
        if (t.rules.allowedHeaders.contains(name))
            continue;
        m.addSigned(QStringLiteral("header-") + name, QStringLiteral("header"), with(t.header, {{name, h.value(kid)}}),
                    t.claims);
    }

    if (t.rules.allowedTypes) {
        if (t.header.contains(u"typ"))
            m.addSigned(QStringLiteral("typ-missing"), QStringLiteral("typ"),
                        with(t.header, {{QStringLiteral("typ"), QJsonValue::Null}}), t.claims);
        m.addSigned(QStringLiteral("typ-wrong"), QStringLiteral("typ"), with(t.header, {{QStringLiteral("typ"), kWrongType}}),
                    t.claims);
    } else {
        notCovered << QStringLiteral("typ (typ-missing, typ-wrong): the policy does not check typ");
    }

    if (!issuer.audiences.isEmpty())
        m.addSigned(QStringLiteral("audience-wrong"), QStringLiteral("audience"), t.header,
                    with(t.claims, {{QStringLiteral("aud"), kWrongAudience}}));
    if (!issuer.subjects.isEmpty())
        m.addSigned(QStringLiteral("subject-unknown"), QStringLiteral("subject"), t.header,
                    with(t.claims, {{QStringLiteral("sub"), kUnknownSubject}}));
    else
        notCovered << QStringLiteral("subject (subject-unknown): the issuer has no subjects allowlist");
}

Error probeError(const char* code, const QString& message)
{
    return Error{QString::fromLatin1(code), message, {}};
}

} // namespace

Result<TokenSet> mintProbeTokens(const policy::Policy& policy, const TokenSetOptions& options)
{
    if (options.marginSeconds < 1)
        return probeError("ERR_PROBE_MARGIN", QStringLiteral("the margin must be at least 1 second (got %1)").arg(options.marginSeconds));
    if (policy.issuers.isEmpty())
        return probeError("ERR_PROBE_NO_ISSUER", QStringLiteral("the policy has no issuer to probe"));
    int index = 0;
    if (!options.issuer.isEmpty()) {
        index = -1;
        for (int i = 0; i < policy.issuers.size(); ++i) {
            if (policy.issuers.at(i).issuer == options.issuer)
                index = i;
        }
        if (index < 0)
            return probeError("ERR_PROBE_UNKNOWN_ISSUER", QStringLiteral("issuer '%1' is not in the policy").arg(options.issuer));
    }
    const policy::Issuer& issuer = policy.issuers.at(index);
    const policy::EffectiveRules rules = policy.effectiveRules(issuer);
    if (options.audience && !issuer.audiences.contains(*options.audience))
        return probeError("ERR_PROBE_UNKNOWN_AUDIENCE",
                          QStringLiteral("audience '%1' is not one of issuer '%2''s audiences").arg(*options.audience, issuer.issuer));

    crypto::Algorithm alg = crypto::Algorithm::Unsupported;
    QString kid;
    std::optional<crypto::SigningKey> trusted;
    if (options.signingKey) {
        const keys::Key* pinned = nullptr;
        for (const keys::Key& k : issuer.keys.resolved) {
            if (k.thumbprint == options.signingKey->publicKey().thumbprint)
                pinned = &k;
        }
        if (!pinned)
            return probeError("ERR_PROBE_KEY_NOT_PINNED",
                              QStringLiteral("the signing key (thumbprint %1) is not pinned for issuer '%2': add its public "
                                             "JWK to the issuer's keys.test_jwks in the staging policy")
                                  .arg(options.signingKey->publicKey().thumbprint, issuer.issuer));
        for (const QString& name : rules.algorithms) {
            const crypto::Algorithm a = crypto::algorithmFromName(name);
            if (a != crypto::Algorithm::Unsupported && pinned->usableWith(a)) {
                alg = a;
                break;
            }
        }
        if (alg == crypto::Algorithm::Unsupported)
            return probeError("ERR_PROBE_NO_ALGORITHM",
                              QStringLiteral("no algorithm pinned for issuer '%1' can be signed with the signing key").arg(issuer.issuer));
        kid = pinned->kid.isEmpty() ? options.signingKey->publicKey().kid : pinned->kid;
        trusted = *options.signingKey;
    } else {
        alg = verify::firstImplementedAlgorithm(rules);
        if (alg == crypto::Algorithm::Unsupported)
            return probeError("ERR_PROBE_NO_ALGORITHM",
                              QStringLiteral("issuer '%1' pins no algorithm this tool implements").arg(issuer.issuer));
        // A gateway may select the key by kid before it looks at anything else.
        if (!issuer.keys.resolved.isEmpty())
            kid = issuer.keys.resolved.first().kid;
    }

    AttackTarget t;
    if (!verify::prepareAttackTarget(policy, index, alg, options.nowUnixSeconds, trusted, kid, t))
        return probeError("ERR_PROBE_KEYGEN", QStringLiteral("could not generate an attacker key for %1").arg(crypto::algorithmName(alg)));
    if (options.audience)
        t.claims.insert(QStringLiteral("aud"), *options.audience);

    TokenSet set;
    set.issuer = issuer.issuer;
    set.mintedAtUnixSeconds = options.nowUnixSeconds;
    set.marginSeconds = options.marginSeconds;
    TokenMinter minter(policy, t, options, set);

    if (t.trusted) {
        const QStringList audiences = options.audience ? QStringList{*options.audience} : issuer.audiences;
        if (audiences.isEmpty())
            minter.addSigned(QStringLiteral("valid"), QStringLiteral("valid"), t.header, t.claims);
        for (const QString& aud : audiences)
            minter.addSigned(QStringLiteral("valid-aud-") + aud, QStringLiteral("valid"), t.header,
                             with(t.claims, {{QStringLiteral("aud"), aud}}));
    }
    verify::buildAttackVariants(policy, t, options.nowUnixSeconds, [&](const verify::AttackVariant& v) {
        if (!v.meta.applicable) {
            set.notCovered << QStringLiteral("%1 (%2): %3").arg(v.variantClass, v.meta.id, v.meta.notApplicableReason);
            return;
        }
        minter.add(v.meta.id, v.variantClass, v.token);
    });
    if (t.trusted) {
        addBoundaries(minter, t, issuer, kid, set.notCovered);
    } else {
        for (const char16_t* cls : kSignedClasses)
            set.notCovered << QStringLiteral("%1: needs --signing-key").arg(QString::fromUtf16(cls));
    }
    return set;
}

} // namespace jwb::probe
