// SPDX-License-Identifier: Apache-2.0
// Key-rotation rehearsal: what a fleet of caching verifiers does while an issuer rotates its key.
#include "keys/RotationRehearsal.h"

#include "util/Time.h"

#include <QJsonArray>

#include <algorithm>

namespace jwb::keys {

namespace {

constexpr int kMaxPhases = 3600;
// Documented defaults of common verifiers, used where the policy does not set a value.
constexpr qint64 kEnvoyDefaultCache = 600;     // remote_jwks cache_duration when unset
constexpr qint64 kIstioRefresh = 1200;         // istiod PILOT_JWT_PUB_KEY_REFRESH_INTERVAL default
constexpr qint64 kJoseCache = 600;             // jose createRemoteJWKSet cacheMaxAge
constexpr qint64 kJoseCooldown = 30;           // jose cooldownDuration
constexpr qint64 kDotnetRefresh = 12 * 3600;   // Microsoft.IdentityModel AutomaticRefreshInterval
constexpr qint64 kDotnetCooldown = 300;        // Microsoft.IdentityModel RefreshInterval

// Start of the cache period containing t for a verifier that fetched at `phase`, every `period`.
qint64 lastFetch(qint64 t, qint64 phase, qint64 period)
{
    const qint64 k = (t - phase) >= 0 ? (t - phase) / period : -((phase - t + period - 1) / period);
    return phase + k * period;
}

CacheBehaviour staticTarget(const QString& target, const QString& why)
{
    CacheBehaviour b;
    b.target = target;
    b.source = why;
    b.fetchesKeys = false;
    b.cacheSeconds = 0;
    return b;
}

QString seconds(qint64 s) { return QStringLiteral("%1 s").arg(s); }

void simulate(TargetRehearsal& r, const RotationPlan& plan)
{
    const CacheBehaviour& b = r.behaviour;
    if (!b.fetchesKeys) {
        r.advice.append(QStringLiteral("Keys are pinned in the exported configuration: deploy a re-export that pins "
                                       "both keys before %1, and one without the old key at %2.")
                            .arg(util::formatInstant(plan.signAt), util::formatInstant(plan.retireAt)));
        return;
    }
    const qint64 period = std::max<qint64>(1, b.cacheSeconds);
    const qint64 phases = std::min<qint64>(period, kMaxPhases);
    qint64 rejectSum = 0;
    qint64 acceptSum = 0;
    for (qint64 i = 0; i < phases; ++i) {
        const qint64 phase = i * period / phases;
        // New-key tokens from T1: refused while the cached set predates T0. A fetch in the very
        // second of publication is counted as having missed it (the conservative reading).
        const qint64 fetchedAtSign = lastFetch(plan.signAt, phase, period);
        qint64 rejectedUntil = plan.signAt;
        if (fetchedAtSign <= plan.publishAt) {
            rejectedUntil = fetchedAtSign + period; // the next regular refresh (after T1, so after T0)
            if (b.refetchOnUnknownKid)
                rejectedUntil = std::min(rejectedUntil, std::max(plan.signAt, fetchedAtSign + b.cooldownSeconds));
        }
        const qint64 rejected = rejectedUntil - plan.signAt;
        rejectSum += rejected;
        if (rejected > r.goodTokensRejected.worstSeconds)
            r.goodTokensRejected = Window{rejected, 0, plan.signAt, rejectedUntil};

        // Old-key tokens after T2: accepted until the first refresh after T2.
        const qint64 fetchedAtRetire = lastFetch(plan.retireAt, phase, period);
        const qint64 acceptedUntil = fetchedAtRetire + period; // likewise conservative at T2 itself
        const qint64 accepted = acceptedUntil - plan.retireAt;
        acceptSum += accepted;
        if (accepted > r.retiredKeyAccepted.worstSeconds)
            r.retiredKeyAccepted = Window{accepted, 0, plan.retireAt, acceptedUntil};
    }
    r.goodTokensRejected.meanSeconds = rejectSum / phases;
    r.retiredKeyAccepted.meanSeconds = acceptSum / phases;
    r.retiredKeyAcceptedIfEndpointDown = r.retiredKeyAccepted.worstSeconds + b.maxStaleSeconds;

    if (r.goodTokensRejected.worstSeconds > 0) {
        const qint64 needed = b.refetchOnUnknownKid ? std::min(period, b.cooldownSeconds) : period;
        r.advice.append(QStringLiteral("Publish the new key at least %1 before signing with it (the plan leaves %2).")
                            .arg(seconds(needed), seconds(plan.signAt - plan.publishAt)));
        if (!b.refetchOnUnknownKid)
            r.advice.append(QStringLiteral("Or let this verifier refetch on an unknown kid (with a cooldown), if it can."));
    }
    if (r.retiredKeyAccepted.worstSeconds > 0)
        r.advice.append(QStringLiteral("The retired key stays trusted for up to %1 after removal (%2 if the JWKS "
                                       "endpoint is unreachable); shorten the cache if that is too long.")
                            .arg(seconds(r.retiredKeyAccepted.worstSeconds), seconds(r.retiredKeyAcceptedIfEndpointDown)));
}

QJsonObject windowJson(const Window& w)
{
    return {{QStringLiteral("worst_seconds"), w.worstSeconds},
            {QStringLiteral("mean_seconds"), w.meanSeconds},
            {QStringLiteral("from"), w.worstSeconds ? util::formatInstant(w.from) : QString()},
            {QStringLiteral("until"), w.worstSeconds ? util::formatInstant(w.until) : QString()}};
}

} // namespace

bool RehearsalReport::anyGoodTokenRejected() const
{
    return inFlightOldTokensRejected.worstSeconds > 0
           || std::any_of(targets.begin(), targets.end(),
                          [](const TargetRehearsal& t) {
                              return !t.behaviour.reference && t.goodTokensRejected.worstSeconds > 0;
                          });
}

QList<CacheBehaviour> behavioursFor(const policy::Policy& policy, const policy::Issuer& issuer)
{
    QList<CacheBehaviour> list;
    const bool remote = !issuer.keys.jwksUri.isEmpty();
    // Exporters pin resolved keys inline; only an issuer with nothing pinned is fetched by gateways.
    const bool gatewaysFetch = remote && issuer.keys.resolved.isEmpty();
    const policy::KeyRefresh refresh = issuer.keys.refresh.value_or(policy::KeyRefresh{});

    if (issuer.keys.refresh && remote) {
        CacheBehaviour own;
        own.target = QStringLiteral("policy");
        own.source = QStringLiteral("the policy's keys.refresh (a fetching verifier following it)");
        own.cacheSeconds = refresh.cacheSeconds.value_or(kEnvoyDefaultCache);
        own.refetchOnUnknownKid = refresh.refetchOnUnknownKid.value_or(false);
        own.cooldownSeconds = refresh.cooldownSeconds.value_or(0);
        own.maxStaleSeconds = refresh.maxStaleSeconds.value_or(0);
        list.append(own);
    }
    list.append(staticTarget(QStringLiteral("core"), QStringLiteral("keys pinned in the policy; verify never fetches")));

    for (const policy::Deployment& d : policy.deployments) {
        if (d.target == u"envoy" && gatewaysFetch) {
            CacheBehaviour e;
            e.target = QStringLiteral("envoy");
            e.source = refresh.cacheSeconds ? QStringLiteral("cache_duration exported from keys.refresh")
                                            : QStringLiteral("Envoy default cache_duration (10 min)");
            e.cacheSeconds = refresh.cacheSeconds.value_or(kEnvoyDefaultCache);
            e.refetchOnUnknownKid = false; // remote_jwks does not refetch on an unknown kid
            list.append(e);
        } else if (d.target == u"istio" && gatewaysFetch) {
            CacheBehaviour i;
            i.target = QStringLiteral("istio");
            i.source = QStringLiteral("istiod JWKS refresh interval default (20 min); not settable per rule");
            i.cacheSeconds = kIstioRefresh;
            list.append(i);
        } else {
            list.append(staticTarget(d.target, QStringLiteral("the exported configuration pins the keys inline")));
        }
    }
    CacheBehaviour jose;
    jose.target = QStringLiteral("jose");
    jose.source = QStringLiteral("library default, for comparison (cacheMaxAge 10 min, cooldown 30 s)");
    jose.cacheSeconds = kJoseCache;
    jose.refetchOnUnknownKid = true;
    jose.cooldownSeconds = kJoseCooldown;
    jose.reference = true;
    list.append(jose);
    CacheBehaviour dotnet;
    dotnet.target = QStringLiteral("dotnet");
    dotnet.source = QStringLiteral("library default, for comparison (metadata every 12 h, refresh on unknown kid "
                                   "at most every 5 min)");
    dotnet.cacheSeconds = kDotnetRefresh;
    dotnet.refetchOnUnknownKid = true;
    dotnet.cooldownSeconds = kDotnetCooldown;
    dotnet.reference = true;
    list.append(dotnet);
    return list;
}

Result<RehearsalReport> rehearseRotation(const policy::Policy& policy, const policy::Issuer& issuer,
                                         const RotationPlan& plan)
{
    if (!(plan.publishAt <= plan.signAt && plan.signAt <= plan.retireAt))
        return Error{QStringLiteral("ERR_REHEARSE_PLAN"),
                     QStringLiteral("the plan must publish (T0) no later than it signs (T1), and sign no later than it "
                                    "retires (T2)"),
                     {}};
    RehearsalReport report;
    report.issuer = issuer.issuer;
    report.plan = plan;
    const policy::EffectiveRules rules = policy.effectiveRules(issuer);
    report.maxTokenLifetime = rules.maxLifetimeSeconds.value_or(0);
    if (rules.maxLifetimeSeconds) {
        const qint64 lastOldExpiry = plan.signAt + *rules.maxLifetimeSeconds;
        if (lastOldExpiry > plan.retireAt)
            report.inFlightOldTokensRejected = Window{lastOldExpiry - plan.retireAt, lastOldExpiry - plan.retireAt,
                                                      plan.retireAt, lastOldExpiry};
    }
    for (const CacheBehaviour& b : behavioursFor(policy, issuer)) {
        TargetRehearsal r;
        r.behaviour = b;
        simulate(r, plan);
        report.targets.append(r);
    }
    return report;
}

QJsonObject rehearsalToJson(const RehearsalReport& report)
{
    QJsonArray targets;
    for (const TargetRehearsal& t : report.targets) {
        targets.append(QJsonObject{
            {QStringLiteral("target"), t.behaviour.target},
            {QStringLiteral("source"), t.behaviour.source},
            {QStringLiteral("fetches_keys"), t.behaviour.fetchesKeys},
            {QStringLiteral("reference"), t.behaviour.reference},
            {QStringLiteral("cache_seconds"), t.behaviour.cacheSeconds},
            {QStringLiteral("refetch_on_unknown_kid"), t.behaviour.refetchOnUnknownKid},
            {QStringLiteral("cooldown_seconds"), t.behaviour.cooldownSeconds},
            {QStringLiteral("good_tokens_rejected"), windowJson(t.goodTokensRejected)},
            {QStringLiteral("retired_key_accepted"), windowJson(t.retiredKeyAccepted)},
            {QStringLiteral("retired_key_accepted_if_endpoint_down_seconds"), t.retiredKeyAcceptedIfEndpointDown},
            {QStringLiteral("advice"), QJsonArray::fromStringList(t.advice)},
        });
    }
    QJsonObject inFlight = windowJson(report.inFlightOldTokensRejected);
    inFlight.insert(QStringLiteral("max_token_lifetime_seconds"), report.maxTokenLifetime);
    return {{QStringLiteral("issuer"), report.issuer},
            {QStringLiteral("publish"), util::formatInstant(report.plan.publishAt)},
            {QStringLiteral("sign"), util::formatInstant(report.plan.signAt)},
            {QStringLiteral("retire"), util::formatInstant(report.plan.retireAt)},
            {QStringLiteral("in_flight_old_tokens_rejected"), inFlight},
            {QStringLiteral("targets"), targets}};
}

} // namespace jwb::keys
