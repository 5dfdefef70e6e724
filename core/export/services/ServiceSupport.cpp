// SPDX-License-Identifier: Apache-2.0
// Shared derivations of the service exporters: per-issuer data the generated code carries, the
// environment variable that supplies each HMAC secret, and the gap rows (library / code / neither).
#include "export/services/ServiceSupport.h"

#include "keys/PemExport.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace jwb::exporting::detail::services {

namespace {

QString envVarFor(const QString& kid, int index)
{
    QString name = QStringLiteral("JWB_HMAC_SECRET_");
    QString tail;
    for (QChar c : kid.toUpper()) {
        const bool ok = (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        tail += ok ? c : u'_';
    }
    return name + (tail.isEmpty() ? QStringLiteral("%1").arg(index + 1) : tail);
}

QStringList algorithmsFor(const keys::Key& key, const QStringList& pinned)
{
    QStringList out;
    for (const QString& a : pinned) {
        if (key.usableWith(crypto::algorithmFromName(a)))
            out << a;
    }
    return out;
}

bool isSuperset(const QStringList& wide, const QStringList& narrow)
{
    for (const auto& x : narrow) {
        if (!wide.contains(x))
            return false;
    }
    return wide.size() > narrow.size();
}

QString activeIds(const IssuerPlan& p)
{
    QStringList ids;
    for (const auto& ex : p.activeExceptions)
        ids << QStringLiteral("%1 until %2").arg(ex.id, ex.expires.toUTC().toString(Qt::ISODate));
    return ids.join(QStringLiteral(", "));
}

} // namespace

QString quoted(const QString& s)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

QString quotedList(const QStringList& items)
{
    QStringList q;
    for (const auto& i : items)
        q << quoted(i);
    return q.join(QStringLiteral(", "));
}

Result<ServicePlan> planService(const policy::Policy& policy, const ExportProfile& profile)
{
    auto planned = planIssuers(policy, profile.atUnixSeconds);
    if (!planned)
        return planned.error();
    ServicePlan sp;
    sp.plans = std::move(planned).value();
    sp.rejectAct = policy.delegation.act == policy::Delegation::Act::Reject;
    sp.rejectNested = true;
    sp.maxTokenBytes = 0;
    int secretIndex = 0;
    for (int i = 0; i < sp.plans.size(); ++i) {
        const IssuerPlan& p = sp.plans.at(i);
        ServiceIssuer si;
        si.planIndex = i;
        si.iss = p.iss();
        si.rules = p.exported;
        si.audiences = p.issuer->audiences;
        si.subjects = p.issuer->subjects;
        if (si.rules.allowedTypes) {
            QStringList types;
            for (const auto& t : *si.rules.allowedTypes) {
                QString v = t.toLower();
                if (v.startsWith(QStringLiteral("application/")) && v.size() > 12)
                    v = v.mid(12);
                if (!types.contains(v))
                    types << v;
            }
            si.types = types;
        }
        for (const keys::Key& k : p.keys) {
            const QStringList algs = algorithmsFor(k, si.rules.algorithms);
            if (algs.isEmpty())
                continue; // a key no pinned algorithm can use verifies nothing; the core never picks it
            auto pem = keys::toPublicPem(k);
            if (!pem)
                return pem.error();
            si.keys << ServiceKey{k.kid, algs, keys::toPublicJwk(k), *pem};
        }
        for (const keys::Key& k : p.withheldSecrets) {
            const QStringList algs = algorithmsFor(k, si.rules.algorithms);
            if (!algs.isEmpty())
                si.secrets << ServiceSecret{k.kid, envVarFor(k.kid, secretIndex++), algs};
        }
        sp.maxTokenBytes = std::max(sp.maxTokenBytes, si.rules.maxTokenBytes);
        sp.issuers << si;
    }
    return sp;
}

QList<GapEntry> serviceGaps(Target target, const ServicePlan& plan, const ServiceIssuer& si, const LibraryFacts& facts)
{
    const IssuerPlan& p = plan.plans.at(si.planIndex);
    const auto& base = p.base;
    const auto& out = si.rules;
    GapBuilder g(target, p);
    const QString widenedBy = QStringLiteral("widened by active exception %1; the code cannot expire it, re-export at "
                                             "expiry")
                                  .arg(activeIds(p));
    auto libOrCode = [&g](const QString& control, const QString& lib, const QString& code, const QString& exported = {},
                          const QString& policy = {}) {
        if (lib.isEmpty())
            g.emulated(control, code, exported, policy);
        else
            g.enforced(control, lib, exported, policy);
    };

    if (isSuperset(out.algorithms, base.algorithms))
        g.notEnforced(QStringLiteral("algorithm_pin"), facts.algorithmPin + QStringLiteral("; ") + widenedBy,
                      joined(out.algorithms), joined(base.algorithms));
    else
        g.enforced(QStringLiteral("algorithm_pin"), facts.algorithmPin, joined(out.algorithms), joined(base.algorithms));

    const QString headerHow = QStringLiteral("the generated code refuses any header member outside the allowlist "
                                             "before the library is called");
    if (isSuperset(out.allowedHeaders, base.allowedHeaders))
        g.notEnforced(QStringLiteral("header_allowlist"), headerHow + QStringLiteral("; ") + widenedBy,
                      joined(out.allowedHeaders), joined(base.allowedHeaders));
    else
        g.emulated(QStringLiteral("header_allowlist"), headerHow, joined(out.allowedHeaders), joined(base.allowedHeaders));

    g.emulated(QStringLiteral("crit"),
               QStringLiteral("the generated code refuses every token with crit, as the core does (it implements no "
                              "extension)")
                   + (facts.crit.isEmpty() ? QString() : QStringLiteral("; by itself the library ") + facts.crit));

    if (si.types || out.requireType)
        g.emulated(QStringLiteral("typ"),
                   QStringLiteral("the generated code compares typ as RFC 7515 section 4.1.9 says (case-insensitive, "
                                  "\"application/\" optional)%1")
                       .arg(out.requireType ? QStringLiteral(", and requires it") : QString()),
                   si.types ? joined(*si.types) : QStringLiteral("any, required"),
                   base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
    else
        g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));

    libOrCode(QStringLiteral("issuer"), facts.issuer,
              QStringLiteral("the generated code picks the issuer's entry by exact iss and compares iss after "
                             "verification"));

    if (si.audiences.isEmpty())
        g.notRequired(QStringLiteral("audience_binding"),
                      QStringLiteral("the issuer has no audience row; the generated code rejects its tokens, as the core "
                                     "does"));
    else
        libOrCode(QStringLiteral("audience_binding"),
                  facts.audience.isEmpty() ? QString()
                                           : facts.audience + QStringLiteral("; the code also requires aud to be a "
                                                                             "string or an array of strings"),
                  QStringLiteral("the generated code requires aud (a string or an array of strings) to name one of the "
                                 "issuer's audiences"),
                  joined(si.audiences), joined(si.audiences));

    if (si.subjects.isEmpty())
        g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
    else
        g.emulated(QStringLiteral("subject"), QStringLiteral("the generated code requires sub in the allowlist"),
                   joined(si.subjects), joined(si.subjects));

    if (out.requiredClaims.isEmpty())
        g.notRequired(QStringLiteral("required_claims"), QStringLiteral("the policy requires no claim"));
    else
        libOrCode(QStringLiteral("required_claims"), facts.requiredClaims,
                  QStringLiteral("the generated code requires each claim to be present"), joined(out.requiredClaims),
                  joined(base.requiredClaims));

    if (out.requiredClaims.contains(QStringLiteral("exp")))
        libOrCode(QStringLiteral("exp_required"), facts.expRequired,
                  QStringLiteral("the generated code rejects a token without a numeric exp"));
    else
        g.notRequired(QStringLiteral("exp_required"), QStringLiteral("the policy does not require exp"));

    libOrCode(QStringLiteral("nbf"), facts.nbf,
              QStringLiteral("the generated code requires a present nbf to be a NumericDate not later than now + skew"));
    libOrCode(QStringLiteral("iat"), facts.iat,
              QStringLiteral("the generated code requires a present iat to be a NumericDate not later than now + skew"));

    if (!out.maxLifetimeSeconds) {
        g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
    } else {
        const QString how = QStringLiteral("the generated code computes exp - iat (nbf when iat is absent), rejects a "
                                           "token without them, and compares with the limit");
        const QString exp = seconds(*out.maxLifetimeSeconds);
        const QString pol = base.maxLifetimeSeconds ? seconds(*base.maxLifetimeSeconds) : QString();
        if (base.maxLifetimeSeconds && *out.maxLifetimeSeconds > *base.maxLifetimeSeconds)
            g.notEnforced(QStringLiteral("max_lifetime"), how + QStringLiteral("; ") + widenedBy, exp, pol);
        else
            g.emulated(QStringLiteral("max_lifetime"), how, exp, pol);
    }

    if (facts.skew.isEmpty()) {
        const QString how = QStringLiteral("the generated code applies the skew to exp, nbf and iat itself");
        if (out.clockSkewSeconds > base.clockSkewSeconds)
            g.notEnforced(QStringLiteral("clock_skew"), how + QStringLiteral("; ") + widenedBy,
                          seconds(out.clockSkewSeconds), seconds(base.clockSkewSeconds));
        else
            g.emulated(QStringLiteral("clock_skew"), how, seconds(out.clockSkewSeconds), seconds(base.clockSkewSeconds));
    } else {
        g.clockSkew(out.clockSkewSeconds, facts.skew);
    }

    // Keys: public keys are pinned in the code; an HMAC secret only by a name the deployment fills.
    if (!si.secrets.isEmpty()) {
        QStringList names;
        for (const auto& s : si.secrets)
            names << QStringLiteral("kid '%1' from %2").arg(s.kid, s.envVar);
        g.notEnforced(QStringLiteral("key_pinning"),
                      QStringLiteral("%1%2HMAC secrets are never written into an export: %3 reads %4 (base64url, as "
                                     "the JWK k) at run time, so which secret is trusted is decided by whoever sets "
                                     "the variable; set it from the secret store that holds the policy's secret")
                          .arg(si.keys.isEmpty() ? QString() : facts.keys + QStringLiteral("; "),
                               si.keys.isEmpty() ? QString() : QStringLiteral("but "), facts.secrets,
                               names.join(QStringLiteral(", "))),
                      QStringLiteral("%1 pinned key(s), %2 secret(s) from the environment")
                          .arg(si.keys.size())
                          .arg(si.secrets.size()));
        if (si.keys.isEmpty())
            g.notEnforced(QStringLiteral("key_strength"),
                          QStringLiteral("the secret's length is whatever the environment variable holds; the code "
                                         "does not check the core's minimum"));
        else
            g.enforced(QStringLiteral("key_strength"),
                       QStringLiteral("only keys the core accepted at load are exported (RSA >= %1 bits, EC points on "
                                      "their curve); the secret's length is not checked by the code")
                           .arg(keys::kMinRsaBits));
    } else if (!si.keys.isEmpty()) {
        g.enforced(QStringLiteral("key_pinning"), facts.keys, QStringLiteral("%1 pinned key(s)").arg(si.keys.size()));
        g.enforced(QStringLiteral("key_strength"),
                   QStringLiteral("only keys the core accepted at load are exported (RSA >= %1 bits, EC points on "
                                  "their curve)")
                       .arg(keys::kMinRsaBits));
    } else {
        g.notEnforced(QStringLiteral("key_pinning"),
                      QStringLiteral("no key of this issuer can be exported%1; the generated code rejects its tokens "
                                     "(it never fetches keys)")
                          .arg(p.jwksUri.isEmpty() ? QString()
                                                   : QStringLiteral(" (only jwks_uri %1 is known)").arg(p.jwksUri)));
        g.notEnforced(QStringLiteral("key_strength"), QStringLiteral("no exported key"));
    }
    g.exceptions(false, {});
    g.notRequired(QStringLiteral("key_refresh"),
                  QStringLiteral("keys are pinned in the generated code; nothing is fetched at run time"));
    return g.take();
}

QList<GapEntry> allServiceGaps(Target target, const ServicePlan& plan, const LibraryFacts& facts)
{
    // GapBuilder words a gap for a gateway ("the service behind it must verify"); here the service is the
    // verifier, so the advice names what closes the gap instead.
    const QString gatewayAdvice = QStringLiteral("; the service behind it must verify locally with the core's rules");
    QList<GapEntry> all;
    for (const auto& si : plan.issuers) {
        for (GapEntry g : serviceGaps(target, plan, si, facts)) {
            if (g.status == GapStatus::NotEnforced && g.detail.endsWith(gatewayAdvice))
                g.detail = g.detail.chopped(gatewayAdvice.size())
                           + QStringLiteral("; this service must close the gap in its own code or verify with the core");
            all << g;
        }
    }
    return all;
}

ExportResult serviceResult(const QString& code, const QString& fileName, Target target, const ServicePlan& plan,
                           const LibraryFacts& facts)
{
    ExportResult result;
    result.text = code.toUtf8();
    result.fileName = fileName;
    result.gaps = allServiceGaps(target, plan, facts);
    return result;
}

QString serviceBanner(const policy::Policy& policy, Target target, const QString& commentPrefix,
                      const ServicePlan& plan)
{
    QString text = exportBanner(policy, target, commentPrefix);
    text += commentPrefix
            + QStringLiteral(" A verification function for one service: the library verifies the signature with the "
                             "pinned keys,\n")
            + commentPrefix
            + QStringLiteral(" and the code around it does what the library does not (see each comment).\n");
    text += exceptionNote(plan, commentPrefix);
    return text;
}

QString exceptionNote(const ServicePlan& plan, const QString& commentPrefix)
{
    QString text;
    for (const auto& p : plan.plans) {
        for (const auto& ex : p.activeExceptions)
            text += commentPrefix
                    + QStringLiteral(" Carries exception %1 (%2) until %3: re-export when it expires.\n")
                          .arg(ex.id, p.iss(), ex.expires.toUTC().toString(Qt::ISODate));
    }
    return text;
}

} // namespace jwb::exporting::detail::services
