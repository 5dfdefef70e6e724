// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace jwb::keys {

// A key rotation: the new key is published in the issuer's JWKS at T0, tokens are signed with it
// from T1, and the old key is removed from the JWKS at T2 (all Unix seconds, T0 <= T1 <= T2).
struct RotationPlan {
    qint64 publishAt = 0;
    qint64 signAt = 0;
    qint64 retireAt = 0;
};

// How one kind of verifier caches a JWKS. Values are seconds.
struct CacheBehaviour {
    QString target;              // "policy", "envoy", "istio", "jose", "dotnet", or a static target
    QString source;              // where the numbers come from ("policy keys.refresh", "documented default")
    bool fetchesKeys = true;     // false: keys are pinned in the exported config (Kong, NGINX key file, OPA)
    qint64 cacheSeconds = 600;
    bool refetchOnUnknownKid = false;
    qint64 cooldownSeconds = 0;
    qint64 maxStaleSeconds = 0;  // extra time a stale set is served when the endpoint is unreachable
    bool reference = false;      // a library default shown for comparison, not a deployment of this policy
};

struct Window {
    qint64 worstSeconds = 0;     // over every refresh phase of the fleet
    qint64 meanSeconds = 0;      // averaged over phases
    qint64 from = 0;             // worst case, absolute
    qint64 until = 0;
};

struct TargetRehearsal {
    CacheBehaviour behaviour;
    Window goodTokensRejected;   // new-key tokens refused because the new key is not cached yet
    Window retiredKeyAccepted;   // old-key tokens still accepted after T2 from a stale cache
    qint64 retiredKeyAcceptedIfEndpointDown = 0; // worst case when refreshes fail (max_stale)
    QStringList advice;          // the settings or plan changes that close the windows
};

struct RehearsalReport {
    QString issuer;
    RotationPlan plan;
    qint64 maxTokenLifetime = 0; // from the policy: old-key tokens signed just before T1 live this long
    Window inFlightOldTokensRejected; // old-key tokens still valid when T2 removes their key
    QList<TargetRehearsal> targets;
    // Over the policy's own refresh settings and its deployments (reference behaviours excluded).
    bool anyGoodTokenRejected() const;
};

// The verifier behaviours rehearsed for an issuer: the policy's own keys.refresh, the deployments'
// targets, and common library defaults for comparison.
QList<CacheBehaviour> behavioursFor(const policy::Policy& policy, const policy::Issuer& issuer);

// Simulates a fleet of verifiers whose caches refresh every cacheSeconds at every phase in
// [0, cacheSeconds) (one-second resolution, at most 3600 phases sampled evenly), with continuous
// traffic, and reports both windows per behaviour. Error ERR_REHEARSE_PLAN when T0 <= T1 <= T2
// does not hold.
Result<RehearsalReport> rehearseRotation(const policy::Policy& policy, const policy::Issuer& issuer,
                                         const RotationPlan& plan);

QJsonObject rehearsalToJson(const RehearsalReport& report);

} // namespace jwb::keys
