// SPDX-License-Identifier: Apache-2.0
// Shared derivations for the exporters: per-issuer plans (rules at the export instant, keys to
// write), the gap-report builder and small formatting helpers.
#include "export/ExportSupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace jwb::exporting::detail {

namespace {

const QString kServiceMustVerify =
    QStringLiteral("the service behind it must verify locally with the core's rules");

QString slugify(const QString& text)
{
    QString out;
    for (QChar c : text.toLower()) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'))
            out += c;
        else if (!out.isEmpty() && !out.endsWith(u'-'))
            out += u'-';
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    return out.left(50);
}

QStringList unite(QStringList a, const QStringList& b)
{
    for (const auto& x : b) {
        if (!a.contains(x))
            a << x;
    }
    return a;
}

} // namespace

QByteArray IssuerPlan::jwksJson() const
{
    QJsonArray arr;
    for (const auto& k : keys)
        arr.append(QJsonDocument::fromJson(keys::toPublicJwk(k)).object());
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), arr}}).toJson(QJsonDocument::Compact);
}

policy::EffectiveRules loosen(policy::EffectiveRules rules, const policy::ExceptionAllow& allow)
{
    if (allow.algorithms)
        rules.algorithms = unite(rules.algorithms, *allow.algorithms);
    if (allow.headers)
        rules.allowedHeaders = unite(rules.allowedHeaders, *allow.headers);
    if (allow.clockSkewSeconds)
        rules.clockSkewSeconds = std::max(rules.clockSkewSeconds, *allow.clockSkewSeconds);
    if (allow.maxLifetimeSeconds && rules.maxLifetimeSeconds)
        rules.maxLifetimeSeconds = std::max(*rules.maxLifetimeSeconds, *allow.maxLifetimeSeconds);
    return rules;
}

Result<QList<IssuerPlan>> planIssuers(const policy::Policy& policy, qint64 atUnixSeconds)
{
    if (policy.issuers.isEmpty())
        return Error{QStringLiteral("ERR_EXPORT_NO_ISSUERS"),
                     QStringLiteral("the policy has no issuers, so there is nothing to export"),
                     QStringLiteral("issuers")};
    const QDateTime at = QDateTime::fromSecsSinceEpoch(atUnixSeconds, Qt::UTC);
    QList<IssuerPlan> plans;
    QSet<QString> slugs;
    for (int i = 0; i < policy.issuers.size(); ++i) {
        const policy::Issuer& iss = policy.issuers.at(i);
        IssuerPlan plan;
        plan.issuer = &iss;
        plan.index = i;
        // The trust domain names the provider; issuers sharing one fall back to their host.
        QString slug;
        for (const QString& candidate : {slugify(iss.trustDomain), slugify(hostOf(iss.issuer)),
                                         QStringLiteral("issuer-%1").arg(i + 1)}) {
            if (!candidate.isEmpty() && !slugs.contains(candidate)) {
                slug = candidate;
                break;
            }
        }
        if (slug.isEmpty()) {
            const QString baseSlug = QStringLiteral("issuer-%1").arg(i + 1);
            slug = baseSlug;
            for (int n = 2; slugs.contains(slug); ++n)
                slug = baseSlug + QStringLiteral("-%1").arg(n);
        }
        slugs.insert(slug);
        plan.slug = slug;
        plan.base = policy.effectiveRules(iss);
        plan.exported = plan.base;
        plan.jwksUri = iss.keys.jwksUri;
        QList<keys::Key> all = iss.keys.resolved;
        for (const auto& ex : policy.exceptions) {
            if (ex.issuer != iss.issuer)
                continue;
            if (!ex.activeAt(at)) {
                plan.expiredExceptions << ex;
                continue;
            }
            plan.activeExceptions << ex;
            plan.exported = loosen(plan.exported, ex.allow);
            if (ex.allow.keys)
                all += ex.allow.keys->resolved;
        }
        QSet<QString> seen;
        for (const auto& k : all) {
            if (!k.thumbprint.isEmpty() && seen.contains(k.thumbprint))
                continue;
            seen.insert(k.thumbprint);
            if (k.type == keys::KeyType::Oct)
                plan.withheldSecrets << k;
            else
                plan.keys << k;
        }
        plans << plan;
    }
    return plans;
}

QList<const IssuerPlan*> verifiablePlans(const QList<IssuerPlan>& plans)
{
    QList<const IssuerPlan*> out;
    for (const IssuerPlan& plan : plans) {
        if (plan.pinned() || !plan.jwksUri.isEmpty())
            out << &plan;
    }
    if (out.isEmpty()) {
        for (const IssuerPlan& plan : plans)
            out << &plan;
    }
    return out;
}

QString seconds(qint64 s)
{
    return QStringLiteral("%1 s").arg(s);
}

QString hostOf(const QString& uri)
{
    const QUrl url(uri, QUrl::StrictMode);
    if (url.isValid() && !url.host().isEmpty())
        return url.host().toLower();
    // Issuers need not be URLs ("1234567-compute@developer.gserviceaccount.com").
    return {};
}

QString joined(const QStringList& l)
{
    return l.isEmpty() ? QStringLiteral("(none)") : l.join(QStringLiteral(", "));
}

QByteArray emitterBytes(const YAML::Emitter& e)
{
    QByteArray out(e.c_str(), static_cast<qsizetype>(e.size()));
    if (!out.endsWith('\n'))
        out += '\n';
    return out;
}

QString exportBanner(const policy::Policy& policy, Target target, const QString& commentPrefix)
{
    QString staging;
    if (const QList<TestKeyUse> testKeys = testKeysIn(policy); !testKeys.isEmpty())
        staging = commentPrefix
                  + QStringLiteral(" STAGING EXPORT (--include-test-keys): it carries test keys, never deploy it to "
                                   "production: %1.\n")
                        .arg(describeTestKeys(testKeys));
    return staging + commentPrefix
           + QStringLiteral(" Generated by jwt-policy export --to %1 from policy \"%2\" revision %3.\n")
                 .arg(targetName(target), policy.name)
                 .arg(policy.revision)
           + commentPrefix
           + QStringLiteral(" Run `jwt-policy gaps` for what this target does not enforce; do not edit by hand.\n");
}

QByteArray yamlExportText(const policy::Policy& policy, Target target, const YAML::Emitter& e)
{
    return exportBanner(policy, target, QStringLiteral("#")).toUtf8() + emitterBytes(e);
}

QStringList refreshSettingsBeyondCache(const policy::KeyRefresh& refresh)
{
    QStringList set;
    if (refresh.refetchOnUnknownKid.value_or(false))
        set << QStringLiteral("refetch_on_unknown_kid");
    if (refresh.maxStaleSeconds)
        set << QStringLiteral("max_stale_seconds");
    if (refresh.cooldownSeconds)
        set << QStringLiteral("cooldown_seconds");
    return set;
}

GapBuilder::GapBuilder(Target target, const IssuerPlan& plan) : m_target(targetName(target)), m_plan(plan) {}

namespace {

// keys.refresh as the policy states it, for the key_refresh row's policy value.
QString refreshSummary(const IssuerPlan& plan)
{
    const auto& r = plan.issuer->keys.refresh;
    if (!r)
        return {};
    QStringList parts;
    if (r->cacheSeconds)
        parts << QStringLiteral("cache %1").arg(seconds(*r->cacheSeconds));
    if (r->maxStaleSeconds)
        parts << QStringLiteral("max stale %1").arg(seconds(*r->maxStaleSeconds));
    if (r->refetchOnUnknownKid)
        parts << (*r->refetchOnUnknownKid ? QStringLiteral("refetch on unknown kid")
                                          : QStringLiteral("no refetch on unknown kid"));
    if (r->cooldownSeconds)
        parts << QStringLiteral("cooldown %1").arg(seconds(*r->cooldownSeconds));
    return parts.join(QStringLiteral(", "));
}

} // namespace

void GapBuilder::add(const QString& control, GapStatus status, const QString& detail, const QString& exported,
                     const QString& policy)
{
    const QString policyValue =
        policy.isEmpty() && control == u"key_refresh" ? refreshSummary(m_plan) : policy;
    m_rows << GapEntry{m_target, m_plan.iss(), control, status, detail, exported, policyValue};
}

void GapBuilder::enforced(const QString& control, const QString& detail, const QString& exported,
                          const QString& policy)
{
    add(control, GapStatus::Enforced, detail, exported, policy);
}

void GapBuilder::stricter(const QString& control, const QString& detail, const QString& exported,
                          const QString& policy)
{
    add(control, GapStatus::Enforced, detail, exported, policy);
    m_rows.last().stricter = true;
}

void GapBuilder::emulated(const QString& control, const QString& detail, const QString& exported,
                          const QString& policy)
{
    add(control, GapStatus::Emulated, detail, exported, policy);
}

void GapBuilder::notEnforced(const QString& control, const QString& why, const QString& exported,
                             const QString& policy)
{
    add(control, GapStatus::NotEnforced, why + QStringLiteral("; ") + kServiceMustVerify, exported, policy);
}

void GapBuilder::notRequired(const QString& control, const QString& what)
{
    add(control, GapStatus::NotUsed, QStringLiteral("not used by the policy: ") + what, {}, {});
}

void GapBuilder::clockSkew(int exportedSeconds, const QString& how)
{
    const int policySkew = m_plan.base.clockSkewSeconds;
    const QString exp = seconds(exportedSeconds);
    const QString pol = seconds(policySkew);
    if (exportedSeconds == policySkew)
        enforced(QStringLiteral("clock_skew"), how, exp, pol);
    else if (exportedSeconds < policySkew)
        stricter(QStringLiteral("clock_skew"),
                 how + QStringLiteral("; stricter than the policy: tokens within the policy's skew of exp/nbf "
                                      "are rejected"),
                 exp, pol);
    else
        notEnforced(QStringLiteral("clock_skew"),
                    how + QStringLiteral("; wider than the policy: tokens up to %1 past exp (or before nbf) are "
                                         "accepted")
                              .arg(seconds(exportedSeconds - policySkew)),
                    exp, pol);
}

void GapBuilder::exceptions(bool canExpire, const QString& how)
{
    const QString control = QStringLiteral("exceptions");
    QStringList expired;
    for (const auto& ex : m_plan.expiredExceptions)
        expired << ex.id;
    const QString expiredNote = expired.isEmpty()
        ? QString()
        : QStringLiteral(" (expired, not exported: %1)").arg(expired.join(QStringLiteral(", ")));
    if (m_plan.activeExceptions.isEmpty()) {
        notRequired(control, QStringLiteral("no active exception for this issuer") + expiredNote);
        return;
    }
    QStringList items;
    for (const auto& ex : m_plan.activeExceptions)
        items << QStringLiteral("%1 until %2").arg(ex.id, ex.expires.toUTC().toString(Qt::ISODate));
    if (canExpire) {
        emulated(control, how + QStringLiteral(": ") + items.join(QStringLiteral(", ")) + expiredNote);
        return;
    }
    notEnforced(control,
                QStringLiteral("the target cannot expire an exception by itself; the export carries the loosening of "
                               "%1; re-export at expiry")
                        .arg(items.join(QStringLiteral(", ")))
                    + expiredNote);
}

void GapBuilder::keys(const QString& pinnedHow, const QString& remoteHow)
{
    QString withheld;
    if (!m_plan.withheldSecrets.isEmpty())
        withheld = QStringLiteral("; %1 HMAC secret(s) are never written into an export, so HS tokens are rejected "
                                  "here until the secret is provided out of band")
                       .arg(m_plan.withheldSecrets.size());
    if (m_plan.pinned()) {
        enforced(QStringLiteral("key_pinning"), pinnedHow + withheld,
                 QStringLiteral("%1 pinned key(s)").arg(m_plan.keys.size()));
        enforced(QStringLiteral("key_strength"),
                 QStringLiteral("only keys the core accepted at load are exported (RSA >= %1 bits, EC points on "
                                "their curve)")
                     .arg(keys::kMinRsaBits));
        return;
    }
    if (!m_plan.jwksUri.isEmpty() && !remoteHow.isEmpty()) {
        notEnforced(QStringLiteral("key_pinning"),
                    remoteHow + QStringLiteral(": keys are fetched from %1 at run time, not pinned by the policy")
                                    .arg(m_plan.jwksUri)
                        + withheld,
                    QStringLiteral("remote JWKS"));
        notEnforced(QStringLiteral("key_strength"),
                    QStringLiteral("whatever the remote JWKS serves is used; the core's minimum key sizes are not "
                                   "checked"));
        return;
    }
    notEnforced(QStringLiteral("key_pinning"),
                QStringLiteral("no key can be exported for this issuer%1; the target rejects its tokens or cannot "
                               "be configured")
                    .arg(m_plan.jwksUri.isEmpty() ? QString() : QStringLiteral(" (this target cannot fetch jwks_uri)"))
                    + withheld);
    notEnforced(QStringLiteral("key_strength"), QStringLiteral("no exported key"));
}

QList<GapEntry> GapBuilder::take()
{
    sortGaps(m_rows);
    return std::move(m_rows);
}

void sortGaps(QList<GapEntry>& gaps)
{
    const QStringList order = controlIds();
    std::stable_sort(gaps.begin(), gaps.end(), [&order](const GapEntry& a, const GapEntry& b) {
        return order.indexOf(a.control) < order.indexOf(b.control);
    });
}

} // namespace jwb::exporting::detail
