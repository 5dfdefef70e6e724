// SPDX-License-Identifier: Apache-2.0
// Semantic diff of two policy revisions: what a reviewer needs to know is not which lines moved but
// whether more tokens get through afterwards.

#include "policy/PolicyDiff.h"

#include "keys/Key.h"
#include "policy/RuleField.h"
#include "util/Time.h"

#include <QHash>
#include <QUrl>

#include <functional>

namespace jwb::policy {

namespace {

using Class = ChangeClass;

QString quoted(const QString& s)
{
    return u'\'' + s + u'\'';
}

QString quotedList(const QStringList& items)
{
    QStringList out;
    for (const QString& item : items)
        out.append(quoted(item));
    return out.join(QStringLiteral(", "));
}

QString seconds(qint64 s)
{
    return QStringLiteral("%1 s").arg(s);
}

QStringList onlyIn(const QStringList& a, const QStringList& b)
{
    QStringList out;
    for (const QString& item : a) {
        if (!b.contains(item) && !out.contains(item))
            out.append(item);
    }
    return out;
}

// Collects changes for one scope (an issuer, or the defaults no issuer inherits).
class ChangeList final {
public:
    void add(const QString& kind, Class c, const QString& issuer, const QString& path, const QString& message)
    {
        m_changes.append(Change{kind, c, issuer, path, message});
    }
    QList<Change>& changes() { return m_changes; }

private:
    QList<Change> m_changes;
};

using Field = RuleField;

// Field path in the new policy: the issuer's override when it has one, else the defaults.
// issuerIndex < 0 means the defaults themselves.
QString fieldPath(const Policy& p, int issuerIndex, Field f)
{
    if (issuerIndex >= 0 && isSet(p.issuers.at(issuerIndex).overrides, f))
        return QStringLiteral("issuers[%1].overrides.").arg(issuerIndex) + fieldName(f);
    return QStringLiteral("defaults.") + fieldName(f);
}

// Compares two sets of effective rules. `report(field, kind, class, message)` receives each change;
// messages start with the subject ("issuer 'x'" or "defaults").
using RuleEmit = std::function<void(Field, const QString&, Class, const QString&)>;

void compareStringSet(Field f, const QStringList& oldList, const QStringList& newList, const QString& addedKind,
                      Class addedClass, const QString& removedKind, Class removedClass, const QString& noun,
                      const QString& subject, const RuleEmit& report)
{
    for (const QString& item : onlyIn(newList, oldList))
        report(f, addedKind, addedClass, QStringLiteral("%1: %2 %3 added").arg(subject, noun, quoted(item)));
    for (const QString& item : onlyIn(oldList, newList))
        report(f, removedKind, removedClass, QStringLiteral("%1: %2 %3 removed").arg(subject, noun, quoted(item)));
}

template <typename T>
void compareNumber(Field f, T oldValue, T newValue, const QString& upKind, Class upClass, const QString& downKind,
                   Class downClass, const QString& what, const QString& unit, const QString& subject,
                   const RuleEmit& report)
{
    if (oldValue == newValue)
        return;
    const bool up = newValue > oldValue;
    report(f, up ? upKind : downKind, up ? upClass : downClass,
         QStringLiteral("%1: %2 %3 from %4%6 to %5%6")
             .arg(subject, what, up ? QStringLiteral("raised") : QStringLiteral("lowered"))
             .arg(oldValue)
             .arg(newValue)
             .arg(unit));
}

void compareRules(const EffectiveRules& o, const EffectiveRules& n, const QString& subject, const RuleEmit& report)
{
    compareStringSet(Field::Algorithms, o.algorithms, n.algorithms, QStringLiteral("algorithm-added"),
                     Class::Loosening, QStringLiteral("algorithm-removed"), Class::Tightening,
                     QStringLiteral("algorithm"), subject, report);

    if (o.clockSkewSeconds != n.clockSkewSeconds) {
        const bool wider = n.clockSkewSeconds > o.clockSkewSeconds;
        report(Field::ClockSkewSeconds, wider ? QStringLiteral("skew-widened") : QStringLiteral("skew-narrowed"),
             wider ? Class::Loosening : Class::Tightening,
             QStringLiteral("%1: clock skew %2 from %3 to %4")
                 .arg(subject, wider ? QStringLiteral("widened") : QStringLiteral("narrowed"),
                      seconds(o.clockSkewSeconds), seconds(n.clockSkewSeconds)));
    }

    if (o.maxLifetimeSeconds && n.maxLifetimeSeconds) {
        compareNumber(Field::MaxLifetimeSeconds, *o.maxLifetimeSeconds, *n.maxLifetimeSeconds,
                      QStringLiteral("lifetime-raised"), Class::Loosening, QStringLiteral("lifetime-lowered"),
                      Class::Tightening, QStringLiteral("maximum token lifetime"), QStringLiteral(" s"), subject,
                      report);
    } else if (n.maxLifetimeSeconds) {
        report(Field::MaxLifetimeSeconds, QStringLiteral("lifetime-added"), Class::Tightening,
             QStringLiteral("%1: maximum token lifetime of %2 introduced").arg(subject, seconds(*n.maxLifetimeSeconds)));
    } else if (o.maxLifetimeSeconds) {
        report(Field::MaxLifetimeSeconds, QStringLiteral("lifetime-removed"), Class::Loosening,
             QStringLiteral("%1: maximum token lifetime of %2 removed, tokens may live as long as exp says")
                 .arg(subject, seconds(*o.maxLifetimeSeconds)));
    }

    compareStringSet(Field::RequiredClaims, o.requiredClaims, n.requiredClaims, QStringLiteral("required-claim-added"),
                     Class::Tightening, QStringLiteral("required-claim-removed"), Class::Loosening,
                     QStringLiteral("required claim"), subject, report);
    compareStringSet(Field::AllowedHeaders, o.allowedHeaders, n.allowedHeaders, QStringLiteral("header-allowed"),
                     Class::Loosening, QStringLiteral("header-disallowed"), Class::Tightening,
                     QStringLiteral("allowed header"), subject, report);

    if (o.allowedTypes && n.allowedTypes) {
        compareStringSet(Field::AllowedTypes, *o.allowedTypes, *n.allowedTypes, QStringLiteral("type-added"),
                         Class::Loosening, QStringLiteral("type-removed"), Class::Tightening,
                         QStringLiteral("accepted typ"), subject, report);
    } else if (n.allowedTypes) {
        report(Field::AllowedTypes, QStringLiteral("type-check-added"), Class::Tightening,
             QStringLiteral("%1: typ is now checked (accepted: %2)").arg(subject, quotedList(*n.allowedTypes)));
    } else if (o.allowedTypes) {
        report(Field::AllowedTypes, QStringLiteral("type-check-removed"), Class::Loosening,
             QStringLiteral("%1: typ is no longer checked (was: %2)").arg(subject, quotedList(*o.allowedTypes)));
    }

    if (o.requireType != n.requireType) {
        report(Field::RequireType, n.requireType ? QStringLiteral("require-type-enabled") : QStringLiteral("require-type-disabled"),
             n.requireType ? Class::Tightening : Class::Loosening,
             n.requireType ? QStringLiteral("%1: tokens without typ are now rejected").arg(subject)
                           : QStringLiteral("%1: tokens without typ are now accepted").arg(subject));
    }
    if (o.requireKid != n.requireKid) {
        report(Field::RequireKid, n.requireKid ? QStringLiteral("require-kid-enabled") : QStringLiteral("require-kid-disabled"),
             n.requireKid ? Class::Tightening : Class::Loosening,
             n.requireKid ? QStringLiteral("%1: tokens without kid are now rejected").arg(subject)
                          : QStringLiteral("%1: tokens without kid are now accepted").arg(subject));
    }
    compareNumber(Field::MaxTokenBytes, o.maxTokenBytes, n.maxTokenBytes, QStringLiteral("max-token-bytes-raised"),
                  Class::Loosening, QStringLiteral("max-token-bytes-lowered"), Class::Tightening,
                  QStringLiteral("maximum token size"), QStringLiteral(" bytes"), subject, report);
}

// How a key is recognised across revisions: its RFC 7638 thumbprint when known.
QString keyIdentity(const keys::Key& key)
{
    if (!key.thumbprint.isEmpty())
        return key.thumbprint;
    return QStringLiteral("kid:%1|%2|%3").arg(key.kid, key.description(), key.source);
}

QString keyLabel(const keys::Key& key)
{
    QString label = key.kid.isEmpty() ? QStringLiteral("key without kid") : QStringLiteral("key '%1'").arg(key.kid);
    label += QStringLiteral(" (%1").arg(key.description());
    if (!key.thumbprint.isEmpty())
        label += QStringLiteral(", thumbprint ") + key.thumbprint;
    if (key.testKey)
        label += QStringLiteral(", TEST KEY");
    return label + u')';
}

const keys::Key* findKey(const QList<keys::Key>& list, const QString& identity)
{
    for (const keys::Key& key : list) {
        if (keyIdentity(key) == identity)
            return &key;
    }
    return nullptr;
}

void compareKeys(const QList<keys::Key>& o, const QList<keys::Key>& n, const QString& issuer, const QString& path,
                 const QString& subject, ChangeList& out)
{
    for (const keys::Key& key : n) {
        const keys::Key* before = findKey(o, keyIdentity(key));
        if (!before) {
            out.add(QStringLiteral("key-added"), Class::Loosening, issuer, path,
                    QStringLiteral("%1: %2 added; tokens it signs are now accepted").arg(subject, keyLabel(key)));
        } else if (before->kid != key.kid) {
            out.add(QStringLiteral("key-kid-changed"), Class::Neutral, issuer, path,
                    QStringLiteral("%1: kid of key %2 changed from %3 to %4")
                        .arg(subject, key.thumbprint, quoted(before->kid), quoted(key.kid)));
        }
    }
    for (const keys::Key& key : o) {
        if (!findKey(n, keyIdentity(key))) {
            out.add(QStringLiteral("key-removed"), Class::Tightening, issuer, path,
                    QStringLiteral("%1: %2 removed; tokens it signs are now rejected").arg(subject, keyLabel(key)));
        }
    }
}

bool sourcesDiffer(const KeySources& o, const KeySources& n)
{
    return o.jwks != n.jwks || o.jwksFile != n.jwksFile || o.pemFiles != n.pemFiles || o.testJwks != n.testJwks;
}

void compareJwksUri(const QString& o, const QString& n, const QString& issuer, const QString& path,
                    const QString& subject, ChangeList& out)
{
    if (o == n)
        return;
    if (o.isEmpty()) {
        out.add(QStringLiteral("jwks-uri-added"), Class::Loosening, issuer, path,
                QStringLiteral("%1: keys published at %2 are now trusted by fetching verifiers").arg(subject, n));
        return;
    }
    if (n.isEmpty()) {
        out.add(QStringLiteral("jwks-uri-removed"), Class::Tightening, issuer, path,
                QStringLiteral("%1: jwks_uri %2 removed").arg(subject, o));
        return;
    }
    // Moving within the same https host is bookkeeping; a new host or a weaker scheme hands the
    // key set to someone else.
    const QUrl ou(o);
    const QUrl nu(n);
    const bool sameHost = ou.host().compare(nu.host(), Qt::CaseInsensitive) == 0;
    const bool downgrade = ou.scheme() == u"https" && nu.scheme() != u"https";
    const bool upgrade = ou.scheme() != u"https" && nu.scheme() == u"https";
    const Class c = !sameHost || downgrade ? Class::Loosening : upgrade ? Class::Tightening : Class::Neutral;
    out.add(QStringLiteral("jwks-uri-changed"), c, issuer, path,
            QStringLiteral("%1: jwks_uri changed from %2 to %3").arg(subject, o, n));
}

void compareIssuer(const Policy& oldP, const Issuer& o, const Policy& newP, int index, ChangeList& out)
{
    const Issuer& n = newP.issuers.at(index);
    const QString base = QStringLiteral("issuers[%1]").arg(index);
    const QString subject = QStringLiteral("issuer '%1'").arg(n.issuer);

    const RuleEmit report = [&](Field f, const QString& kind, Class c, const QString& message) {
        QString text = message;
        if (!isSet(n.overrides, f))
            text += QStringLiteral(" (inherited from defaults)");
        out.add(kind, c, n.issuer, fieldPath(newP, index, f), text);
    };
    compareRules(oldP.effectiveRules(o), newP.effectiveRules(n), subject, report);

    for (const QString& aud : onlyIn(n.audiences, o.audiences))
        out.add(QStringLiteral("audience-added"), Class::Loosening, n.issuer, base + QStringLiteral(".audiences"),
                QStringLiteral("%1 may now mint tokens for audience %2").arg(subject, quoted(aud)));
    for (const QString& aud : onlyIn(o.audiences, n.audiences))
        out.add(QStringLiteral("audience-removed"), Class::Tightening, n.issuer, base + QStringLiteral(".audiences"),
                QStringLiteral("%1 may no longer mint tokens for audience %2").arg(subject, quoted(aud)));

    const QString subjectsPath = base + QStringLiteral(".subjects");
    if (o.subjects.isEmpty() && !n.subjects.isEmpty()) {
        out.add(QStringLiteral("subject-allowlist-added"), Class::Tightening, n.issuer, subjectsPath,
                QStringLiteral("%1: only subjects %2 are now accepted (was any)").arg(subject, quotedList(n.subjects)));
    } else if (!o.subjects.isEmpty() && n.subjects.isEmpty()) {
        out.add(QStringLiteral("subject-allowlist-removed"), Class::Loosening, n.issuer, subjectsPath,
                QStringLiteral("%1: any subject is now accepted (was %2)").arg(subject, quotedList(o.subjects)));
    } else {
        for (const QString& sub : onlyIn(n.subjects, o.subjects))
            out.add(QStringLiteral("subject-added"), Class::Loosening, n.issuer, subjectsPath,
                    QStringLiteral("%1: subject %2 added to the allowlist").arg(subject, quoted(sub)));
        for (const QString& sub : onlyIn(o.subjects, n.subjects))
            out.add(QStringLiteral("subject-removed"), Class::Tightening, n.issuer, subjectsPath,
                    QStringLiteral("%1: subject %2 removed from the allowlist").arg(subject, quoted(sub)));
    }

    if (o.trustDomain != n.trustDomain)
        out.add(QStringLiteral("trust-domain-changed"), Class::Neutral, n.issuer, base + QStringLiteral(".trust_domain"),
                QStringLiteral("%1: trust domain changed from %2 to %3")
                    .arg(subject, quoted(o.trustDomain), quoted(n.trustDomain)));

    const QString keysPath = base + QStringLiteral(".keys");
    const qsizetype before = out.changes().size();
    compareKeys(o.keys.resolved, n.keys.resolved, n.issuer, keysPath, subject, out);
    if (out.changes().size() == before && sourcesDiffer(o.keys, n.keys))
        out.add(QStringLiteral("key-source-changed"), Class::Neutral, n.issuer, keysPath,
                QStringLiteral("%1: key sources changed but pin the same keys").arg(subject));
    compareJwksUri(o.keys.jwksUri, n.keys.jwksUri, n.issuer, keysPath + QStringLiteral(".jwks_uri"), subject, out);
    if (o.keys.refresh != n.keys.refresh)
        out.add(QStringLiteral("key-refresh-changed"), Class::Neutral, n.issuer, keysPath + QStringLiteral(".refresh"),
                QStringLiteral("%1: JWKS refresh settings changed").arg(subject));
}

// Defaults changes that no issuer present in both revisions inherits are still reported: future
// issuers inherit them.
void compareUnseenDefaults(const Policy& oldP, const Policy& newP, const QHash<QString, int>& oldIndex,
                           ChangeList& out)
{
    EffectiveRules o;
    o.apply(oldP.defaults);
    EffectiveRules n;
    n.apply(newP.defaults);
    const RuleEmit report = [&](Field f, const QString& kind, Class c, const QString& message) {
        for (int i = 0; i < newP.issuers.size(); ++i) {
            if (oldIndex.contains(newP.issuers.at(i).issuer) && !isSet(newP.issuers.at(i).overrides, f))
                return; // already reported for that issuer
        }
        out.add(kind, c, {}, fieldPath(newP, -1, f), message + QStringLiteral(" (no current issuer inherits it)"));
    };
    compareRules(o, n, QStringLiteral("defaults"), report);
}

QString allowSummary(const ExceptionAllow& a)
{
    QStringList parts;
    if (a.algorithms)
        parts.append(QStringLiteral("algorithms %1").arg(quotedList(*a.algorithms)));
    if (a.headers)
        parts.append(QStringLiteral("headers %1").arg(quotedList(*a.headers)));
    if (a.clockSkewSeconds)
        parts.append(QStringLiteral("clock skew %1").arg(seconds(*a.clockSkewSeconds)));
    if (a.maxLifetimeSeconds)
        parts.append(QStringLiteral("lifetime %1").arg(seconds(*a.maxLifetimeSeconds)));
    if (a.kids)
        parts.append(QStringLiteral("kids %1").arg(quotedList(*a.kids)));
    if (a.keys)
        parts.append(QStringLiteral("%1 extra key(s)").arg(a.keys->resolved.size()));
    return parts.isEmpty() ? QStringLiteral("nothing") : parts.join(QStringLiteral(", "));
}

// Whether `n` grants anything `o` did not (wider), and whether `o` granted anything `n` does not.
void compareAllow(const ExceptionAllow& o, const ExceptionAllow& n, bool& wider, bool& narrower)
{
    const auto lists = [&](const std::optional<QStringList>& a, const std::optional<QStringList>& b) {
        const QStringList al = a.value_or(QStringList());
        const QStringList bl = b.value_or(QStringList());
        wider = wider || !onlyIn(bl, al).isEmpty();
        narrower = narrower || !onlyIn(al, bl).isEmpty();
    };
    lists(o.algorithms, n.algorithms);
    lists(o.headers, n.headers);
    lists(o.kids, n.kids);
    const auto numbers = [&](std::optional<qint64> a, std::optional<qint64> b) {
        if (a == b)
            return;
        if (!a || (b && *b > *a))
            wider = true;
        else
            narrower = true;
    };
    const auto skew = [](const std::optional<int>& v) {
        return v ? std::optional<qint64>(*v) : std::optional<qint64>();
    };
    numbers(skew(o.clockSkewSeconds), skew(n.clockSkewSeconds));
    numbers(o.maxLifetimeSeconds, n.maxLifetimeSeconds);
    const QList<keys::Key> ok = o.keys ? o.keys->resolved : QList<keys::Key>();
    const QList<keys::Key> nk = n.keys ? n.keys->resolved : QList<keys::Key>();
    for (const keys::Key& key : nk)
        wider = wider || !findKey(ok, keyIdentity(key));
    for (const keys::Key& key : ok)
        narrower = narrower || !findKey(nk, keyIdentity(key));
}

QString expiryText(const PolicyException& e)
{
    // A date is stored as the exclusive end of the named day: show the day as written.
    return e.expiresIsDate ? e.expires.toUTC().addSecs(-1).date().toString(Qt::ISODate)
                           : util::formatInstant(e.expires.toSecsSinceEpoch());
}

const PolicyException* findException(const QList<PolicyException>& list, const QString& id)
{
    for (const PolicyException& e : list) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

void compareExceptions(const Policy& oldP, const Policy& newP, ChangeList& out)
{
    for (int i = 0; i < newP.exceptions.size(); ++i) {
        const PolicyException& n = newP.exceptions.at(i);
        const QString path = QStringLiteral("exceptions[%1]").arg(i);
        const QString subject = QStringLiteral("exception %1").arg(quoted(n.id));
        const PolicyException* o = findException(oldP.exceptions, n.id);
        if (!o) {
            out.add(QStringLiteral("exception-added"), Class::Loosening, n.issuer, path,
                    QStringLiteral("%1 added for issuer %2 until %3: allows %4")
                        .arg(subject, quoted(n.issuer), expiryText(n), allowSummary(n.allow)));
            continue;
        }
        if (o->issuer != n.issuer)
            out.add(QStringLiteral("exception-retargeted"), Class::Loosening, n.issuer, path + QStringLiteral(".issuer"),
                    QStringLiteral("%1 now applies to issuer %2 instead of %3")
                        .arg(subject, quoted(n.issuer), quoted(o->issuer)));
        if (o->expires != n.expires) {
            const bool later = n.expires > o->expires;
            out.add(later ? QStringLiteral("exception-extended") : QStringLiteral("exception-shortened"),
                    later ? Class::Loosening : Class::Tightening, n.issuer, path + QStringLiteral(".expires"),
                    QStringLiteral("%1 %2 from %3 to %4")
                        .arg(subject, later ? QStringLiteral("extended") : QStringLiteral("shortened"),
                             expiryText(*o), expiryText(n)));
        }
        if (!(o->allow == n.allow)) {
            bool wider = false;
            bool narrower = false;
            compareAllow(o->allow, n.allow, wider, narrower);
            if (wider || narrower) {
                out.add(wider ? QStringLiteral("exception-widened") : QStringLiteral("exception-narrowed"),
                        wider ? Class::Loosening : Class::Tightening, n.issuer, path + QStringLiteral(".allow"),
                        QStringLiteral("%1 now allows %2 (was %3)")
                            .arg(subject, allowSummary(n.allow), allowSummary(o->allow)));
            }
        }
        if (o->owner != n.owner)
            out.add(QStringLiteral("exception-owner-changed"), Class::Neutral, n.issuer, path + QStringLiteral(".owner"),
                    QStringLiteral("%1 owner changed from %2 to %3").arg(subject, quoted(o->owner), quoted(n.owner)));
        if (o->reason != n.reason)
            out.add(QStringLiteral("exception-reason-changed"), Class::Neutral, n.issuer,
                    path + QStringLiteral(".reason"), QStringLiteral("%1 reason reworded").arg(subject));
    }
    for (int i = 0; i < oldP.exceptions.size(); ++i) {
        const PolicyException& o = oldP.exceptions.at(i);
        if (findException(newP.exceptions, o.id))
            continue;
        out.add(QStringLiteral("exception-removed"), Class::Tightening, o.issuer, QStringLiteral("exceptions[%1]").arg(i),
                QStringLiteral("exception %1 for issuer %2 removed (allowed %3)")
                    .arg(quoted(o.id), quoted(o.issuer), allowSummary(o.allow)));
    }
}

void compareDelegation(const Delegation& o, const Delegation& n, ChangeList& out)
{
    const QString base = QStringLiteral("delegation.");
    if (o.act != n.act) {
        const bool allowed = n.act == Delegation::Act::Allow;
        out.add(allowed ? QStringLiteral("delegation-act-allowed") : QStringLiteral("delegation-act-rejected"),
                allowed ? Class::Loosening : Class::Tightening, {}, base + QStringLiteral("act"),
                allowed ? QStringLiteral("tokens with an actor claim (act) are now accepted")
                        : QStringLiteral("tokens with an actor claim (act) are now rejected"));
    }
    const QString actorsPath = base + QStringLiteral("allowed_actors");
    if (o.allowedActors.isEmpty() && !n.allowedActors.isEmpty()) {
        out.add(QStringLiteral("delegation-actors-restricted"), Class::Tightening, {}, actorsPath,
                QStringLiteral("only actors %1 are now accepted (was any)").arg(quotedList(n.allowedActors)));
    } else if (!o.allowedActors.isEmpty() && n.allowedActors.isEmpty()) {
        out.add(QStringLiteral("delegation-actors-unrestricted"), Class::Loosening, {}, actorsPath,
                QStringLiteral("any actor is now accepted (was %1)").arg(quotedList(o.allowedActors)));
    } else {
        for (const QString& a : onlyIn(n.allowedActors, o.allowedActors))
            out.add(QStringLiteral("delegation-actor-added"), Class::Loosening, {}, actorsPath,
                    QStringLiteral("actor %1 may now act for users").arg(quoted(a)));
        for (const QString& a : onlyIn(o.allowedActors, n.allowedActors))
            out.add(QStringLiteral("delegation-actor-removed"), Class::Tightening, {}, actorsPath,
                    QStringLiteral("actor %1 may no longer act for users").arg(quoted(a)));
    }
    const auto number = [&](int a, int b, const QString& field, const QString& kindStem, const QString& what) {
        if (a == b)
            return;
        const bool up = b > a;
        out.add(kindStem + (up ? QStringLiteral("-raised") : QStringLiteral("-lowered")),
                up ? Class::Loosening : Class::Tightening, {}, base + field,
                QStringLiteral("%1 %2 from %3 to %4").arg(what, up ? QStringLiteral("raised") : QStringLiteral("lowered")).arg(a).arg(b));
    };
    number(o.maxChain, n.maxChain, QStringLiteral("max_chain"), QStringLiteral("delegation-chain"),
           QStringLiteral("maximum actor chain"));
    if (o.nested != n.nested) {
        const bool verify = n.nested == Delegation::Nested::Verify;
        out.add(verify ? QStringLiteral("delegation-nested-allowed") : QStringLiteral("delegation-nested-rejected"),
                verify ? Class::Loosening : Class::Tightening, {}, base + QStringLiteral("nested"),
                verify ? QStringLiteral("nested tokens (cty: JWT) are now verified and may be accepted")
                       : QStringLiteral("nested tokens (cty: JWT) are now rejected"));
    }
    number(o.maxNestedDepth, n.maxNestedDepth, QStringLiteral("max_nested_depth"),
           QStringLiteral("delegation-nested-depth"), QStringLiteral("maximum nesting depth"));
}

void compareDeployments(const QList<Deployment>& o, const QList<Deployment>& n, ChangeList& out)
{
    const auto find = [](const QList<Deployment>& list, const QString& target) -> const Deployment* {
        for (const Deployment& d : list) {
            if (d.target == target)
                return &d;
        }
        return nullptr;
    };
    for (int i = 0; i < n.size(); ++i) {
        const Deployment* before = find(o, n.at(i).target);
        const QString path = QStringLiteral("deployments[%1]").arg(i);
        if (!before)
            out.add(QStringLiteral("deployment-added"), Class::Neutral, {}, path,
                    QStringLiteral("policy now also enforced by %1").arg(n.at(i).target));
        else if (!(*before == n.at(i)))
            out.add(QStringLiteral("deployment-changed"), Class::Neutral, {}, path + QStringLiteral(".only_verifier"),
                    QStringLiteral("deployment %1: only_verifier is now %2")
                        .arg(n.at(i).target, n.at(i).onlyVerifier ? QStringLiteral("true") : QStringLiteral("false")));
    }
    for (int i = 0; i < o.size(); ++i) {
        if (!find(n, o.at(i).target))
            out.add(QStringLiteral("deployment-removed"), Class::Neutral, {}, QStringLiteral("deployments[%1]").arg(i),
                    QStringLiteral("policy no longer enforced by %1").arg(o.at(i).target));
    }
}

QString issuerSummary(const Policy& p, const Issuer& issuer)
{
    const EffectiveRules rules = p.effectiveRules(issuer);
    return QStringLiteral("audiences %1, algorithms %2, %3 key(s)")
        .arg(issuer.audiences.isEmpty() ? QStringLiteral("(none)") : quotedList(issuer.audiences),
             rules.algorithms.isEmpty() ? QStringLiteral("(none)") : quotedList(rules.algorithms))
        .arg(issuer.keys.resolved.size());
}

} // namespace

QString changeClassName(ChangeClass c)
{
    switch (c) {
    case ChangeClass::Tightening: return QStringLiteral("tightening");
    case ChangeClass::Loosening: return QStringLiteral("loosening");
    case ChangeClass::Neutral: return QStringLiteral("neutral");
    }
    return {};
}

QList<Change> diffPolicies(const Policy& oldP, const Policy& newP)
{
    ChangeList out;
    if (oldP.name != newP.name)
        out.add(QStringLiteral("policy-renamed"), Class::Neutral, {}, QStringLiteral("name"),
                QStringLiteral("policy renamed from %1 to %2").arg(quoted(oldP.name), quoted(newP.name)));
    if (oldP.owner != newP.owner)
        out.add(QStringLiteral("owner-changed"), Class::Neutral, {}, QStringLiteral("owner"),
                QStringLiteral("owner changed from %1 to %2").arg(quoted(oldP.owner), quoted(newP.owner)));
    if (oldP.revision != newP.revision)
        out.add(QStringLiteral("revision-changed"), Class::Neutral, {}, QStringLiteral("revision"),
                QStringLiteral("revision %1 -> %2").arg(oldP.revision).arg(newP.revision));

    // Issuers are matched by their exact iss; indexes keep large policies linear.
    QHash<QString, int> oldIndex;
    for (int i = 0; i < oldP.issuers.size(); ++i)
        oldIndex.insert(oldP.issuers.at(i).issuer, i);
    QHash<QString, int> newIndex;
    for (int i = 0; i < newP.issuers.size(); ++i)
        newIndex.insert(newP.issuers.at(i).issuer, i);

    for (int i = 0; i < newP.issuers.size(); ++i) {
        const Issuer& n = newP.issuers.at(i);
        if (const auto it = oldIndex.constFind(n.issuer); it != oldIndex.constEnd()) {
            compareIssuer(oldP, oldP.issuers.at(it.value()), newP, i, out);
        } else {
            out.add(QStringLiteral("issuer-added"), Class::Loosening, n.issuer, QStringLiteral("issuers[%1]").arg(i),
                    QStringLiteral("issuer %1 is now trusted: %2").arg(quoted(n.issuer), issuerSummary(newP, n)));
        }
    }
    for (int i = 0; i < oldP.issuers.size(); ++i) {
        const Issuer& o = oldP.issuers.at(i);
        if (!newIndex.contains(o.issuer))
            out.add(QStringLiteral("issuer-removed"), Class::Tightening, o.issuer, QStringLiteral("issuers[%1]").arg(i),
                    QStringLiteral("issuer %1 is no longer trusted").arg(quoted(o.issuer)));
    }
    compareUnseenDefaults(oldP, newP, oldIndex, out);
    compareExceptions(oldP, newP, out);
    compareDelegation(oldP.delegation, newP.delegation, out);
    compareDeployments(oldP.deployments, newP.deployments, out);
    return out.changes();
}

} // namespace jwb::policy
