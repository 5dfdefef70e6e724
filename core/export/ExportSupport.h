// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/export: what every exporter derives from the policy before writing its own
// syntax, and the gap-report builder. Not a contract for other layers.

#include "export/Export.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace YAML {
class Emitter;
}

#include <string>

namespace jwb::exporting::detail {

// One issuer as a gateway must carry it at the export instant.
struct IssuerPlan {
    const policy::Issuer* issuer = nullptr;
    int index = 0;
    QString slug;                          // unique, DNS-label-like name ("workforce", "issuer-2")
    policy::EffectiveRules base;           // defaults + overrides: what the core enforces
    policy::EffectiveRules exported;       // base loosened by every active exception (what a target
                                           // that cannot expire an exception must carry)
    QList<policy::PolicyException> activeExceptions;
    QList<policy::PolicyException> expiredExceptions; // not exported; listed in the report
    QList<keys::Key> keys;                 // asymmetric keys to export: pinned + active exception keys
    QList<keys::Key> withheldSecrets;      // oct keys: never written into an export
    QString jwksUri;

    bool pinned() const { return !keys.isEmpty(); }
    // {"keys":[...]} with the public members of `keys`, compact, in key order.
    QByteArray jwksJson() const;
    const QString& iss() const { return issuer->issuer; }
};

// Issuers in policy order. ERR_EXPORT_NO_ISSUERS when the policy has none.
Result<QList<IssuerPlan>> planIssuers(const policy::Policy& policy, qint64 atUnixSeconds);
// The issuers a gateway can verify: those with a key to pin or a jwks_uri. One with only HMAC secrets
// (never exported) would get an empty inline JWKS, which Envoy (and Istio, which generates Envoy's
// provider) reads as invalid; left out, its tokens match no provider or rule and are rejected the
// same way, and its gap rows say so. With no verifiable issuer at all every issuer stays, each
// rejecting every token: never an Istio AuthorizationPolicy without principals, which allows any request.
QList<const IssuerPlan*> verifiablePlans(const QList<IssuerPlan>& plans);
// `rules` loosened by one exception's allow block (lists are unions, limits the wider value).
policy::EffectiveRules loosen(policy::EffectiveRules rules, const policy::ExceptionAllow& allow);

QString seconds(qint64 s);              // "30 s"
QString hostOf(const QString& uri);     // lower-case host of an URI, empty when none
QString joined(const QStringList& l);   // "RS256, ES256"
// UTF-8 std::string for yaml-cpp emitters.
inline std::string s(const QString& q) { return q.toStdString(); }
QByteArray emitterBytes(const YAML::Emitter& e); // the emitter's text with a trailing newline
QString exportBanner(const policy::Policy& policy, Target target, const QString& commentPrefix);
// A YAML target's whole export: the "#" banner, then the emitter's text.
QByteArray yamlExportText(const policy::Policy& policy, Target target, const YAML::Emitter& e);
// The keys.refresh settings other than cache_seconds that `refresh` sets, by their policy names
// ("refetch_on_unknown_kid", "max_stale_seconds", "cooldown_seconds"), in that order.
QStringList refreshSettingsBeyondCache(const policy::KeyRefresh& refresh);

// Builds one target's gap rows for one issuer, so every exporter reports every control.
class GapBuilder {
public:
    GapBuilder(Target target, const IssuerPlan& plan);
    void enforced(const QString& control, const QString& detail, const QString& exported = {},
                  const QString& policy = {});
    void emulated(const QString& control, const QString& detail, const QString& exported = {},
                  const QString& policy = {});
    // Appends what the service behind the target must do.
    void notEnforced(const QString& control, const QString& why, const QString& exported = {},
                     const QString& policy = {});
    // Rows for controls the policy does not ask for on this issuer (GapStatus::NotUsed).
    void notRequired(const QString& control, const QString& what);
    // Enforced, but more strictly than the policy (GapEntry::stricter): `detail` says which valid
    // tokens are refused.
    void stricter(const QString& control, const QString& detail, const QString& exported = {},
                  const QString& policy = {});

    // Shared judgements: the same facts on several targets.
    // Clock skew: equal is enforced, smaller is enforced (stricter, with the consequence), wider is
    // not enforced.
    void clockSkew(int exportedSeconds, const QString& how);
    // Exceptions: the target cannot expire them itself (`canExpire` false) or can (how).
    void exceptions(bool canExpire, const QString& how);
    // key_pinning, key_strength from whether keys are pinned inline.
    void keys(const QString& pinnedHow, const QString& remoteHow);

    QList<GapEntry> take();

private:
    void add(const QString& control, GapStatus status, const QString& detail, const QString& exported,
             const QString& policy);
    QString m_target;
    const IssuerPlan& m_plan;
    QList<GapEntry> m_rows;
};

// Sorted into controlIds() order, so reports read the same for every target.
void sortGaps(QList<GapEntry>& gaps);

std::unique_ptr<Exporter> makeCanonicalExporter(Target target);
std::unique_ptr<Exporter> makeEnvoyExporter();
std::unique_ptr<Exporter> makeIstioExporter();
std::unique_ptr<Exporter> makeKongExporter();
std::unique_ptr<Exporter> makeNginxExporter();
std::unique_ptr<Exporter> makeOpaExporter();
std::unique_ptr<Exporter> makeHaproxyExporter();
std::unique_ptr<Exporter> makeApacheExporter();
// Services that verify locally (issue 21), core/export/services/.
std::unique_ptr<Exporter> makeServiceJoseExporter();
std::unique_ptr<Exporter> makeServiceJsonwebtokenExporter();
std::unique_ptr<Exporter> makeServicePyjwtExporter();
std::unique_ptr<Exporter> makeServiceJwcryptoExporter();
std::unique_ptr<Exporter> makeServiceGolangJwtExporter();
std::unique_ptr<Exporter> makeServiceSpringExporter();
std::unique_ptr<Exporter> makeServiceDotnetExporter();

} // namespace jwb::exporting::detail
