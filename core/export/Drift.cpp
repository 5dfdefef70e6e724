// SPDX-License-Identifier: Apache-2.0
// Drift detection: reads a deployed Envoy, Istio or Kong configuration with yaml-cpp and lists every
// point where it accepts what the policy rejects. Keys are compared by RFC 7638 thumbprint, so a
// re-encoded but identical key is not drift.
#include "export/Drift.h"

#include "export/ExportSupport.h"
#include "keys/Key.h"

#include <QSet>

#include <yaml-cpp/yaml.h>

#include <functional>

namespace jwb::exporting {

namespace {

using detail::IssuerPlan;

QString q(const YAML::Node& n)
{
    return n && n.IsScalar() ? QString::fromStdString(n.Scalar()) : QString();
}

QStringList qList(const YAML::Node& n)
{
    QStringList out;
    if (n && n.IsSequence()) {
        for (const auto& item : n)
            out << q(item);
    } else if (n && n.IsScalar()) {
        out << q(n);
    }
    return out;
}

std::optional<qint64> qInt(const YAML::Node& n)
{
    bool ok = false;
    const qint64 v = q(n).toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

std::optional<bool> qBool(const YAML::Node& n)
{
    const QString v = q(n).toLower();
    if (v == u"true")
        return true;
    if (v == u"false")
        return false;
    return std::nullopt;
}

// A protobuf Duration as YAML: "3600s", "1.5s" or {seconds: 3600, nanos: 0}. Whole seconds, rounded up.
std::optional<qint64> duration(const YAML::Node& n)
{
    if (!n)
        return std::nullopt;
    if (n.IsMap())
        return qInt(n["seconds"]);
    QString v = q(n);
    if (!v.endsWith(u's'))
        return std::nullopt;
    v.chop(1);
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (!ok || d < 0)
        return std::nullopt;
    const auto whole = static_cast<qint64>(d);
    return d > static_cast<double>(whole) ? whole + 1 : whole;
}

class Comparator {
public:
    Comparator(DriftReport& report, const QList<IssuerPlan>& plans) : m_report(report), m_plans(plans) {}

    const IssuerPlan* plan(const QString& iss) const
    {
        for (const auto& p : m_plans) {
            if (p.iss() == iss)
                return &p;
        }
        return nullptr;
    }

    void add(const QString& kind, const QString& issuer, const QString& path, const QString& message,
             DriftClass c = DriftClass::Loosening)
    {
        m_report.findings << DriftFinding{kind, issuer, path, message, c};
    }

    // Returns the policy entry, or records an unknown_issuer finding and returns nullptr.
    const IssuerPlan* issuer(const QString& iss, const QString& path, const QString& what)
    {
        if (iss.isEmpty()) {
            add(QStringLiteral("unknown_issuer"), iss, path,
                QStringLiteral("%1 has no issuer, so tokens of any issuer are accepted").arg(what));
            return nullptr;
        }
        const IssuerPlan* p = plan(iss);
        if (!p)
            add(QStringLiteral("unknown_issuer"), iss, path,
                QStringLiteral("%1 accepts issuer \"%2\", which the policy does not list").arg(what, iss));
        return p;
    }

    void audiences(const IssuerPlan& p, const QStringList& configured, const QString& path, const QString& emptyMeaning)
    {
        const QStringList& row = p.issuer->audiences;
        if (configured.isEmpty()) {
            if (!row.isEmpty())
                add(QStringLiteral("audience"), p.iss(), path,
                    QStringLiteral("no audiences configured: %1; the policy allows only %2")
                        .arg(emptyMeaning, detail::joined(row)));
            return;
        }
        for (const auto& a : configured) {
            if (!row.contains(a))
                add(QStringLiteral("audience"), p.iss(), path,
                    QStringLiteral("audience \"%1\" is outside the issuer's row (%2)").arg(a, detail::joined(row)));
        }
    }

    void skew(const IssuerPlan& p, qint64 configured, const QString& path, bool defaulted)
    {
        if (configured > p.exported.clockSkewSeconds)
            add(QStringLiteral("clock_skew"), p.iss(), path,
                QStringLiteral("clock skew %1%2 is wider than the policy's %3")
                    .arg(detail::seconds(configured),
                         defaulted ? QStringLiteral(" (the default, field absent)") : QString(),
                         detail::seconds(p.exported.clockSkewSeconds)));
    }

    void requireExp(const IssuerPlan& p, bool required, const QString& path, const QString& how,
                    const QString& consequence = QStringLiteral("tokens without exp are accepted"))
    {
        if (!required && p.exported.requiredClaims.contains(QStringLiteral("exp")))
            add(QStringLiteral("require_expiration"), p.iss(), path,
                QStringLiteral("%1, so %2; the policy requires exp").arg(how, consequence));
    }

    void lifetime(const IssuerPlan& p, std::optional<qint64> configured, const QString& path)
    {
        if (!p.exported.maxLifetimeSeconds)
            return;
        const qint64 limit = *p.exported.maxLifetimeSeconds;
        if (!configured)
            add(QStringLiteral("max_lifetime"), p.iss(), path,
                QStringLiteral("no lifetime limit; the policy allows at most %1").arg(detail::seconds(limit)));
        else if (*configured > limit)
            add(QStringLiteral("max_lifetime"), p.iss(), path,
                QStringLiteral("lifetime limit %1 is longer than the policy's %2")
                    .arg(detail::seconds(*configured), detail::seconds(limit)));
    }

    QSet<QString> pinnedThumbprints(const IssuerPlan& p) const
    {
        QSet<QString> t;
        for (const auto& k : p.keys)
            t.insert(k.thumbprint);
        for (const auto& k : p.withheldSecrets)
            t.insert(k.thumbprint);
        return t;
    }

    void keySet(const IssuerPlan& p, const Result<QList<keys::Key>>& parsed, const QString& path)
    {
        if (!parsed) {
            add(QStringLiteral("unpinned_key"), p.iss(), path,
                QStringLiteral("the configured keys are not keys the policy accepts: %1").arg(parsed.error().message));
            return;
        }
        const QSet<QString> pinned = pinnedThumbprints(p);
        for (const auto& k : *parsed) {
            if (!pinned.contains(k.thumbprint))
                add(QStringLiteral("unpinned_key"), p.iss(), path,
                    QStringLiteral("key %1 (%2, thumbprint %3) is not pinned by the policy")
                        .arg(k.kid.isEmpty() ? QStringLiteral("without kid") : k.kid, k.description(), k.thumbprint));
        }
    }

    void remoteJwks(const IssuerPlan& p, const QString& uri, const QString& path)
    {
        const QString allowedHost = detail::hostOf(p.jwksUri.isEmpty() ? p.iss() : p.jwksUri);
        const QString host = detail::hostOf(uri);
        if (host.isEmpty() || host != allowedHost) {
            add(QStringLiteral("jwks_host"), p.iss(), path,
                QStringLiteral("JWKS fetched from host \"%1\"; the policy's keys come from \"%2\"")
                    .arg(host.isEmpty() ? uri : host, allowedHost));
            return;
        }
        if (p.pinned())
            add(QStringLiteral("unpinned_key"), p.iss(), path,
                QStringLiteral("keys are fetched from %1 at run time, but the policy pins %2 key(s)")
                    .arg(uri)
                    .arg(p.keys.size()));
    }

private:
    DriftReport& m_report;
    const QList<IssuerPlan>& m_plans;
};

// Depth-first search for nodes that satisfy `match`, with their dotted paths.
void findNodes(const YAML::Node& node, const QString& path,
               const std::function<bool(const YAML::Node&)>& match,
               QList<QPair<QString, YAML::Node>>& out, bool descendIntoMatches = false, int depth = 0)
{
    if (depth > 64)
        return;
    if (match(node)) {
        out.append({path, node});
        if (!descendIntoMatches)
            return;
    }
    if (node.IsMap()) {
        for (const auto& kv : node) {
            const QString key = q(kv.first);
            findNodes(kv.second, path.isEmpty() ? key : path + u'.' + key, match, out, descendIntoMatches, depth + 1);
        }
    } else if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            findNodes(node[i], path + QStringLiteral("[%1]").arg(i), match, out, descendIntoMatches, depth + 1);
    }
}

QString join(const QString& path, const QString& key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

void envoyDrift(const QList<YAML::Node>& docs, Comparator& c, DriftReport& report)
{
    QList<QPair<QString, YAML::Node>> tables;
    auto isProviders = [](const YAML::Node& n) {
        if (!n.IsMap() || !n["providers"] || !n["providers"].IsMap())
            return false;
        for (const auto& kv : n["providers"]) {
            const YAML::Node& p = kv.second;
            if (p.IsMap() && (p["issuer"] || p["local_jwks"] || p["remote_jwks"]))
                return true;
        }
        return false;
    };
    for (int d = 0; d < docs.size(); ++d)
        findNodes(docs.at(d), docs.size() > 1 ? QStringLiteral("[doc %1]").arg(d) : QString(), isProviders, tables);
    for (const auto& [tablePath, table] : tables) {
        for (const auto& kv : table["providers"]) {
            const QString name = q(kv.first);
            const YAML::Node& p = kv.second;
            const QString path = join(tablePath, QStringLiteral("providers.") + name);
            ++report.providers;
            const IssuerPlan* plan =
                c.issuer(q(p["issuer"]), join(path, QStringLiteral("issuer")), QStringLiteral("provider ") + name);
            if (!plan)
                continue;
            c.audiences(*plan, qList(p["audiences"]), join(path, QStringLiteral("audiences")),
                        QStringLiteral("Envoy does not check aud"));
            const auto skew = qInt(p["clock_skew_seconds"]);
            c.skew(*plan, skew.value_or(60), join(path, QStringLiteral("clock_skew_seconds")), !skew);
            c.requireExp(*plan, qBool(p["require_expiration"]).value_or(false),
                         join(path, QStringLiteral("require_expiration")),
                         QStringLiteral("require_expiration is not true"));
            c.lifetime(*plan, duration(p["max_lifetime"]), join(path, QStringLiteral("max_lifetime")));
            if (const YAML::Node local = p["local_jwks"]) {
                if (local["inline_string"])
                    c.keySet(*plan, keys::parseJwks(q(local["inline_string"]).toUtf8(), path),
                             join(path, QStringLiteral("local_jwks.inline_string")));
                else
                    c.add(QStringLiteral("unreadable"), plan->iss(), join(path, QStringLiteral("local_jwks")),
                          QStringLiteral("keys come from a file or environment variable that drift cannot compare"),
                          DriftClass::Unverified);
            } else if (const YAML::Node remote = p["remote_jwks"]) {
                c.remoteJwks(*plan, q(remote["http_uri"]["uri"]), join(path, QStringLiteral("remote_jwks.http_uri.uri")));
            }
        }
    }
}

// jwt_authn requirements that let a request through without a valid token.
void envoyOptionalTokens(const QList<YAML::Node>& docs, Comparator& c)
{
    QList<QPair<QString, YAML::Node>> lax;
    auto isLax = [](const YAML::Node& n) { return n.IsMap() && (n["allow_missing"] || n["allow_missing_or_failed"]); };
    for (int d = 0; d < docs.size(); ++d)
        findNodes(docs.at(d), docs.size() > 1 ? QStringLiteral("[doc %1]").arg(d) : QString(), isLax, lax);
    for (const auto& [path, node] : lax)
        c.add(QStringLiteral("token_not_required"), QString(),
              join(path, node["allow_missing_or_failed"] ? QStringLiteral("allow_missing_or_failed")
                                                         : QStringLiteral("allow_missing")),
              node["allow_missing_or_failed"]
                  ? QStringLiteral("a requirement accepts requests whose token is missing or fails verification")
                  : QStringLiteral("a requirement accepts requests without a token"));
}

void istioDrift(const QList<YAML::Node>& docs, Comparator& c, DriftReport& report)
{
    bool principalsRequired = false;
    for (int d = 0; d < docs.size(); ++d) {
        const YAML::Node& doc = docs.at(d);
        if (!doc.IsMap())
            continue;
        const QString kind = q(doc["kind"]);
        const QString docPath = QStringLiteral("[doc %1 %2/%3]").arg(d).arg(kind, q(doc["metadata"]["name"]));
        if (kind == u"AuthorizationPolicy") {
            const QString action = q(doc["spec"]["action"]);
            QList<QPair<QString, YAML::Node>> principals;
            findNodes(doc["spec"], QString(),
                      [](const YAML::Node& n) { return n.IsMap() && n["requestPrincipals"]; }, principals);
            if ((action.isEmpty() || action == u"ALLOW") && !principals.isEmpty())
                principalsRequired = true;
            continue;
        }
        if (kind != u"RequestAuthentication")
            continue;
        const YAML::Node rules = doc["spec"]["jwtRules"];
        if (!rules || !rules.IsSequence())
            continue;
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const YAML::Node& r = rules[i];
            const QString path = docPath + QStringLiteral(".spec.jwtRules[%1]").arg(i);
            ++report.providers;
            const IssuerPlan* plan =
                c.issuer(q(r["issuer"]), join(path, QStringLiteral("issuer")), QStringLiteral("jwtRule %1").arg(i));
            if (!plan)
                continue;
            c.audiences(*plan, qList(r["audiences"]), join(path, QStringLiteral("audiences")),
                        QStringLiteral("Istio accepts tokens for the service name"));
            if (r["jwks"])
                c.keySet(*plan, keys::parseJwks(q(r["jwks"]).toUtf8(), path), join(path, QStringLiteral("jwks")));
            else if (r["jwksUri"] || r["jwks_uri"])
                c.remoteJwks(*plan, q(r["jwksUri"] ? r["jwksUri"] : r["jwks_uri"]), join(path, QStringLiteral("jwksUri")));
            else // neither: Istio discovers the JWKS through the issuer's OpenID metadata
                c.remoteJwks(*plan, plan->iss(), join(path, QStringLiteral("issuer")));
        }
    }
    if (report.providers > 0 && !principalsRequired)
        c.add(QStringLiteral("token_not_required"), QString(), QStringLiteral("AuthorizationPolicy"),
              QStringLiteral("no ALLOW AuthorizationPolicy with requestPrincipals: requests without a token pass"));
}

void kongCredential(const YAML::Node& s, const QString& path, Comparator& c, DriftReport& report)
{
    ++report.providers;
    const IssuerPlan* plan = c.issuer(q(s["key"]), join(path, QStringLiteral("key")), QStringLiteral("credential"));
    if (!plan)
        return;
    const QString alg = q(s["algorithm"]).isEmpty() ? QStringLiteral("HS256") : q(s["algorithm"]);
    if (!plan->exported.algorithms.contains(alg))
        c.add(QStringLiteral("algorithm"), plan->iss(), join(path, QStringLiteral("algorithm")),
              QStringLiteral("algorithm %1 is outside the issuer's pin (%2)").arg(alg, detail::joined(plan->exported.algorithms)));
    if (alg.startsWith(u"HS")) {
        c.add(QStringLiteral("unpinned_key"), plan->iss(), join(path, QStringLiteral("secret")),
              QStringLiteral("an HMAC secret is configured; the policy pins no secret drift can compare"),
              DriftClass::Unverified);
        return;
    }
    c.keySet(*plan, keys::parsePem(q(s["rsa_public_key"]).toUtf8(), path), join(path, QStringLiteral("rsa_public_key")));
}

void kongDrift(const QList<YAML::Node>& docs, Comparator& c, DriftReport& report, const QList<IssuerPlan>& plans)
{
    for (int d = 0; d < docs.size(); ++d) {
        const YAML::Node& doc = docs.at(d);
        const QString docPath = docs.size() > 1 ? QStringLiteral("[doc %1]").arg(d) : QString();
        QList<QPair<QString, YAML::Node>> plugins;
        findNodes(doc, docPath, [](const YAML::Node& n) { return n.IsMap() && q(n["name"]) == u"jwt" && !n["jwt_secrets"]; },
                  plugins);
        for (const auto& [path, plugin] : plugins) {
            const YAML::Node conf = plugin["config"];
            const QStringList verify = qList(conf["claims_to_verify"]);
            const auto maxExp = qInt(conf["maximum_expiration"]);
            const QString keyClaim = q(conf["key_claim_name"]).isEmpty() ? QStringLiteral("iss") : q(conf["key_claim_name"]);
            if (keyClaim != u"iss")
                c.add(QStringLiteral("unknown_issuer"), QString(), join(path, QStringLiteral("config.key_claim_name")),
                      QStringLiteral("credentials are selected by \"%1\", not by iss, so the issuer is not checked").arg(keyClaim));
            // One plugin serves every issuer, as the export writes it: exp is required when any issuer
            // requires it; the lifetime bound is the widest any issuer allows (per-issuer differences are
            // in the gap report, not drift).
            const IssuerPlan* needsExp = nullptr;
            const IssuerPlan* widest = nullptr;
            bool anyUnlimited = false;
            for (const auto& p : plans) {
                if (!needsExp && p.exported.requiredClaims.contains(QStringLiteral("exp")))
                    needsExp = &p;
                if (!p.exported.maxLifetimeSeconds)
                    anyUnlimited = true;
                else if (!widest || *p.exported.maxLifetimeSeconds > *widest->exported.maxLifetimeSeconds)
                    widest = &p;
            }
            const IssuerPlan* strictest = anyUnlimited ? nullptr : widest;
            if (needsExp)
                c.requireExp(*needsExp, verify.contains(QStringLiteral("exp")),
                             join(path, QStringLiteral("config.claims_to_verify")),
                             QStringLiteral("claims_to_verify does not list exp"),
                             QStringLiteral("exp is not checked and expired tokens are accepted"));
            if (strictest)
                c.lifetime(*strictest, maxExp && *maxExp > 0 ? maxExp : std::nullopt,
                           join(path, QStringLiteral("config.maximum_expiration")));
        }
        QList<QPair<QString, YAML::Node>> secretLists;
        // Top-level jwt_secrets and consumers' own lists can both be present: look inside matches too.
        findNodes(doc, docPath, [](const YAML::Node& n) { return n.IsMap() && n["jwt_secrets"]; }, secretLists, true);
        for (const auto& [path, owner] : secretLists) {
            const YAML::Node secrets = owner["jwt_secrets"];
            if (!secrets.IsSequence())
                continue;
            for (std::size_t i = 0; i < secrets.size(); ++i)
                kongCredential(secrets[i], join(path, QStringLiteral("jwt_secrets[%1]").arg(i)), c, report);
        }
    }
}

} // namespace

QString driftSourceName(DriftSource s)
{
    switch (s) {
    case DriftSource::Envoy: return QStringLiteral("envoy");
    case DriftSource::Istio: return QStringLiteral("istio");
    case DriftSource::Kong: return QStringLiteral("kong");
    }
    return {};
}

QString driftClassName(DriftClass c)
{
    return c == DriftClass::Loosening ? QStringLiteral("loosening") : QStringLiteral("unverified");
}

bool DriftReport::hasLoosening() const
{
    return std::any_of(findings.cbegin(), findings.cend(),
                       [](const DriftFinding& f) { return f.classification == DriftClass::Loosening; });
}

Result<DriftReport> detectDrift(const policy::Policy& policy, DriftSource source, const QByteArray& config,
                                const QString& sourceName, qint64 atUnixSeconds)
{
    auto plans = detail::planIssuers(policy, atUnixSeconds);
    if (!plans)
        return plans.error();
    QList<YAML::Node> docs;
    try {
        for (const auto& d : YAML::LoadAll(config.toStdString()))
            docs << d;
    } catch (const YAML::Exception& e) {
        return Error{QStringLiteral("ERR_DRIFT_YAML"),
                     QStringLiteral("the configuration is not valid YAML: %1").arg(QString::fromStdString(e.msg)),
                     QStringLiteral("%1:%2").arg(sourceName).arg(e.mark.line + 1)};
    }
    DriftReport report;
    report.target = driftSourceName(source);
    Comparator c(report, *plans);
    try {
        switch (source) {
        case DriftSource::Envoy:
            envoyDrift(docs, c, report);
            if (report.providers > 0)
                envoyOptionalTokens(docs, c);
            break;
        case DriftSource::Istio: istioDrift(docs, c, report); break;
        case DriftSource::Kong: kongDrift(docs, c, report, *plans); break;
        }
    } catch (const YAML::Exception& e) {
        return Error{QStringLiteral("ERR_DRIFT_YAML"),
                     QStringLiteral("unexpected structure: %1").arg(QString::fromStdString(e.msg)),
                     QStringLiteral("%1:%2").arg(sourceName).arg(e.mark.line + 1)};
    }
    if (report.providers == 0)
        return Error{QStringLiteral("ERR_DRIFT_NOTHING_FOUND"),
                     QStringLiteral("no %1 JWT configuration found (%2)")
                         .arg(report.target,
                              source == DriftSource::Envoy   ? QStringLiteral("jwt_authn providers")
                              : source == DriftSource::Istio ? QStringLiteral("RequestAuthentication jwtRules")
                                                             : QStringLiteral("jwt_secrets credentials")),
                     sourceName};
    return report;
}

} // namespace jwb::exporting
