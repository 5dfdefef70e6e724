// SPDX-License-Identifier: Apache-2.0
// The field table of policy format v1, and the checks that read their limits from it.

#include "policy/PolicyFields.h"

#include <QtGlobal>

#include <array>
#include <limits>

namespace jwb::policy {
namespace {

using S = Section;
using T = FieldType;

constexpr qint64 kIntMax = std::numeric_limits<int>::max();
constexpr qint64 kInt64Max = std::numeric_limits<qint64>::max();

// Grouped by section, each section in writer order; tst_policyfields holds the JSON Schema to it.
constexpr FieldSpec kFields[] = {
    // ---- the top level
    {.section = S::Root, .name = "jwt_policy", .type = T::Version, .minimum = kFormatVersion,
     .maximum = kFormatVersion, .required = true,
     .help = "Format version. A file written for a later format is refused with a clear error."},
    {.section = S::Root, .name = "name", .type = T::String, .help = "A name for people: reports and the window title."},
    {.section = S::Root, .name = "owner", .type = T::String,
     .help = "Who answers for this policy (lint reports a missing owner)."},
    {.section = S::Root, .name = "revision", .type = T::Integer, .minimum = 0, .maximum = kIntMax, .builtIn = "0",
     .help = "A number the owner raises with every published change."},
    {.section = S::Root, .name = "defaults", .type = T::Mapping, .child = S::Rules,
     .help = "Rules every issuer inherits; an issuer's overrides replace any of them."},
    {.section = S::Root, .name = "issuers", .type = T::List, .child = S::Issuer,
     .help = "The trusted issuers, each with its audiences, keys and overrides."},
    {.section = S::Root, .name = "exceptions", .type = T::List, .child = S::Exception,
     .help = "Dated, owned loosenings for one issuer each."},
    {.section = S::Root, .name = "delegation", .type = T::Mapping, .child = S::Delegation,
     .reference = "RFC 8693 section 4.1", .help = "Actor claims and nested JWTs."},
    {.section = S::Root, .name = "deployments", .type = T::List, .child = S::Deployment,
     .help = "Where the policy is enforced; drives the gap report's exit code."},

    // ---- rules (defaults, overrides)
    {.section = S::Rules, .name = "algorithms", .type = T::StringList, .builtIn = "[]", .inherit = Inherit::FromDefaults,
     .reference = "RFC 8725 section 3.1",
     .help = "The algorithm pin (JWS alg names); any other alg is rejected before a key is touched. "
             "Empty: nothing is accepted."},
    {.section = S::Rules, .name = "clock_skew_seconds", .type = T::Integer, .minimum = 0,
     .maximum = kMaxClockSkewSeconds, .builtIn = "0", .inherit = Inherit::FromDefaults,
     .reference = "RFC 7519 sections 4.1.4 and 4.1.5",
     .help = "Leeway applied when comparing exp, nbf and iat with the current time, in seconds. Keep it "
             "small: every second extends the life of a stolen token."},
    {.section = S::Rules, .name = "max_lifetime_seconds", .type = T::Integer, .minimum = 1, .maximum = kInt64Max,
     .inherit = Inherit::FromDefaults, .reference = "RFC 7519 sections 4.1.4 and 4.1.6",
     .help = "Rejects tokens whose exp minus iat exceeds this many seconds. Needs iat to be required. "
             "Unset: no limit."},
    {.section = S::Rules, .name = "required_claims", .type = T::StringList, .builtIn = "[\"exp\"]",
     .inherit = Inherit::FromDefaults, .reference = "RFC 7519 section 4.1",
     .help = "Claims that must be present; exp, nbf and iat are also type-checked when present."},
    {.section = S::Rules, .name = "allowed_headers", .type = T::StringList, .builtIn = "[\"alg\", \"typ\", \"kid\"]",
     .inherit = Inherit::FromDefaults, .reference = "RFC 7515 section 4.1, RFC 8725 section 3.1",
     .help = "Header members a token may carry; any other member rejects the token."},
    {.section = S::Rules, .name = "allowed_types", .type = T::StringList, .inherit = Inherit::FromDefaults,
     .reference = "RFC 7515 section 4.1.9, RFC 9068 section 2.1",
     .help = "Accepted typ values, compared as media types without the \"application/\" prefix. "
             "Unset: typ is not checked."},
    {.section = S::Rules, .name = "require_type", .type = T::Boolean, .builtIn = "false",
     .inherit = Inherit::FromDefaults, .reference = "RFC 8725 section 3.11",
     .help = "Reject tokens without a typ header: explicit typing keeps one kind of JWT from being "
             "replayed as another."},
    {.section = S::Rules, .name = "require_kid", .type = T::Boolean, .builtIn = "false",
     .inherit = Inherit::FromDefaults, .reference = "RFC 7515 section 4.1.4",
     .help = "Reject tokens without a kid header, so a key is chosen by exact kid match."},
    {.section = S::Rules, .name = "max_token_bytes", .type = T::Integer, .minimum = 64, .maximum = 1024 * 1024,
     .builtIn = "16384", .inherit = Inherit::FromDefaults, .reference = "RFC 8725 section 3.1; RFC 7515 section 10",
     .help = "Tokens longer than this are rejected before any decoding, which bounds the work an attacker "
             "can cause."},

    // ---- issuers[]
    {.section = S::Issuer, .name = "issuer", .type = T::NonEmptyString, .required = true,
     .reference = "RFC 7519 section 4.1.1", .help = "Exact, byte-for-byte match of the iss claim."},
    {.section = S::Issuer, .name = "trust_domain", .type = T::String,
     .help = "Issuers of one trust domain may share audiences; lint reports sharing across domains."},
    {.section = S::Issuer, .name = "audiences", .type = T::StringList, .reference = "RFC 7519 section 4.1.3",
     .help = "This issuer's row of the issuer x audience matrix."},
    {.section = S::Issuer, .name = "subjects", .type = T::StringList, .reference = "RFC 7519 section 4.1.2",
     .help = "Allowlist of sub values; empty or absent: any."},
    {.section = S::Issuer, .name = "keys", .type = T::Mapping, .child = S::Keys,
     .help = "Pinned keys. File paths are relative to the policy file."},
    {.section = S::Issuer, .name = "overrides", .type = T::Mapping, .child = S::Rules,
     .help = "Rules that replace the defaults for this issuer."},

    // ---- issuers[].keys
    {.section = S::Keys, .name = "jwks", .type = T::Mapping, .child = S::Jwks, .reference = "RFC 7517 section 5",
     .help = "An inline JWKS."},
    {.section = S::Keys, .name = "jwks_file", .type = T::NonEmptyString, .help = "A JWKS file."},
    {.section = S::Keys, .name = "pem_files", .type = T::StringList, .help = "PEM public keys or certificates."},
    {.section = S::Keys, .name = "jwks_uri", .type = T::NonEmptyString, .reference = "RFC 8414 section 2",
     .help = "Recorded for exports; verification never fetches it. Lint reports one that is not https."},
    {.section = S::Keys, .name = "test_jwks", .type = T::Mapping, .child = S::Jwks,
     .help = "Keys minted in the workbench for trying the policy; lint reports them as errors."},
    {.section = S::Keys, .name = "refresh", .type = T::Mapping, .child = S::Refresh,
     .help = "How a fetching verifier should cache this issuer's JWKS."},

    // ---- issuers[].keys.refresh
    {.section = S::Refresh, .name = "cache_seconds", .type = T::Integer, .minimum = 0, .maximum = kIntMax,
     .help = "How long a fetched JWKS is used before it is fetched again."},
    {.section = S::Refresh, .name = "max_stale_seconds", .type = T::Integer, .minimum = 0, .maximum = kIntMax,
     .help = "How long a cached JWKS may still be used when the issuer cannot be reached."},
    {.section = S::Refresh, .name = "refetch_on_unknown_kid", .type = T::Boolean,
     .help = "Fetch again when a token names a kid the cache does not hold."},
    {.section = S::Refresh, .name = "cooldown_seconds", .type = T::Integer, .minimum = 0, .maximum = kIntMax,
     .help = "The least time between two fetches."},

    // ---- a JWKS
    {.section = S::Jwks, .name = "keys", .type = T::List, .required = true, .reference = "RFC 7517 section 5.1",
     .help = "The keys; their members are judged by the key parser."},

    // ---- exceptions[]
    {.section = S::Exception, .name = "id", .type = T::NonEmptyString, .required = true,
     .help = "Unique among the policy's exceptions."},
    {.section = S::Exception, .name = "owner", .type = T::String,
     .help = "Who answers for the loosening (lint reports a missing owner)."},
    {.section = S::Exception, .name = "reason", .type = T::String, .help = "Why it is needed."},
    {.section = S::Exception, .name = "expires", .type = T::Instant, .required = true, .reference = "RFC 3339",
     .help = "A date (the exception ends with that day, UTC) or an RFC 3339 instant."},
    {.section = S::Exception, .name = "issuer", .type = T::NonEmptyString, .required = true,
     .help = "Must name an issuer of this policy."},
    {.section = S::Exception, .name = "allow", .type = T::Mapping, .child = S::Allow,
     .help = "The narrow loosening granted while the exception is active."},

    // ---- exceptions[].allow
    {.section = S::Allow, .name = "algorithms", .type = T::StringList, .inherit = Inherit::ByException,
     .reference = "RFC 8725 section 3.1", .help = "Algorithms accepted in addition to the issuer's pin."},
    {.section = S::Allow, .name = "headers", .type = T::StringList, .inherit = Inherit::ByException,
     .reference = "RFC 7515 section 4.1", .help = "Header members allowed in addition to the issuer's list."},
    {.section = S::Allow, .name = "clock_skew_seconds", .type = T::Integer, .minimum = 0,
     .maximum = kMaxClockSkewSeconds, .inherit = Inherit::ByException, .reference = "RFC 7519 section 4.1.4",
     .help = "A larger leeway, in seconds."},
    {.section = S::Allow, .name = "max_lifetime_seconds", .type = T::Integer, .minimum = 1, .maximum = kInt64Max,
     .inherit = Inherit::ByException, .reference = "RFC 7519 section 4.1.6", .help = "A longer lifetime, in seconds."},
    {.section = S::Allow, .name = "kids", .type = T::StringList, .inherit = Inherit::ByException,
     .reference = "RFC 7515 section 4.1.4", .help = "Extra kids accepted from the issuer's keys."},
    {.section = S::Allow, .name = "keys", .type = T::Mapping, .child = S::ExceptionKeys,
     .inherit = Inherit::ByException, .help = "Extra keys accepted for the issuer."},

    // ---- exceptions[].allow.keys
    {.section = S::ExceptionKeys, .name = "jwks", .type = T::Mapping, .child = S::Jwks,
     .reference = "RFC 7517 section 5", .help = "An inline JWKS."},
    {.section = S::ExceptionKeys, .name = "jwks_file", .type = T::NonEmptyString, .help = "A JWKS file."},
    {.section = S::ExceptionKeys, .name = "pem_files", .type = T::StringList,
     .help = "PEM public keys or certificates."},

    // ---- delegation
    {.section = S::Delegation, .name = "act", .type = T::Choice, .builtIn = "\"reject\"", .choices = "reject|allow",
     .reference = "RFC 8693 section 4.1", .help = "Whether tokens with an act claim are accepted."},
    {.section = S::Delegation, .name = "allowed_actors", .type = T::StringList, .reference = "RFC 8693 section 4.1",
     .help = "sub values of acting parties; empty: any, when act is allowed."},
    {.section = S::Delegation, .name = "max_chain", .type = T::Integer, .minimum = 1, .maximum = 16, .builtIn = "1",
     .reference = "RFC 8693 section 4.1", .help = "How deeply act claims may nest."},
    {.section = S::Delegation, .name = "nested", .type = T::Choice, .builtIn = "\"reject\"", .choices = "reject|verify",
     .reference = "RFC 7519 section 7.2", .help = "Whether a nested JWT (cty JWT) is rejected or verified."},
    {.section = S::Delegation, .name = "max_nested_depth", .type = T::Integer, .minimum = 1, .maximum = 8,
     .builtIn = "1", .reference = "RFC 7519 section 7.2", .help = "How many nested JWTs are verified at most."},

    // ---- deployments[]
    {.section = S::Deployment, .name = "target", .type = T::Choice, .required = true,
     .choices = "envoy|istio|kong|nginx|opa", .help = "The gateway that enforces the policy."},
    {.section = S::Deployment, .name = "only_verifier", .type = T::Boolean, .builtIn = "false",
     .help = "No service behind this gateway verifies the token again."},
};

constexpr int kSectionCount = static_cast<int>(Section::None) + 1;

// Each section's run of the table, found once.
const std::array<std::span<const FieldSpec>, kSectionCount>& sectionRuns()
{
    static const std::array<std::span<const FieldSpec>, kSectionCount> runs = [] {
        std::array<std::span<const FieldSpec>, kSectionCount> r{};
        const std::span<const FieldSpec> all(kFields);
        std::size_t begin = 0;
        while (begin < all.size()) {
            std::size_t end = begin;
            while (end < all.size() && all[end].section == all[begin].section)
                ++end;
            r[static_cast<std::size_t>(all[begin].section)] = all.subspan(begin, end - begin);
            begin = end;
        }
        return r;
    }();
    return runs;
}

Status rangeError(const FieldSpec& spec, qint64 value, const QString& path)
{
    const QString problem = rangeProblem(spec, value);
    if (problem.isEmpty())
        return Ok{};
    return Error{QStringLiteral("ERR_POLICY_RANGE"), problem, path + u'.' + fieldName(spec)};
}

Status listError(const std::optional<QStringList>& list, const FieldSpec& spec, const QString& path)
{
    if (!list)
        return Ok{};
    for (qsizetype i = 0; i < list->size(); ++i) {
        if (list->at(i).isEmpty())
            return Error{QStringLiteral("ERR_POLICY_VALUE"), QStringLiteral("must not be empty"),
                         QStringLiteral("%1.%2[%3]").arg(path, fieldName(spec)).arg(i)};
    }
    return Ok{};
}

} // namespace

std::span<const FieldSpec> policyFields() { return kFields; }

std::span<const FieldSpec> fieldsOf(Section section) { return sectionRuns()[static_cast<std::size_t>(section)]; }

const FieldSpec* findField(Section section, std::string_view name)
{
    for (const FieldSpec& spec : fieldsOf(section)) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

const FieldSpec& field(Section section, std::string_view name)
{
    const FieldSpec* spec = findField(section, name);
    Q_ASSERT_X(spec, "policy::field", "a field name missing from the table");
    return spec ? *spec : kFields[0];
}

QString fieldName(const FieldSpec& field)
{
    return QString::fromLatin1(field.name.data(), static_cast<qsizetype>(field.name.size()));
}

QString sectionName(Section section)
{
    switch (section) {
    case Section::Root: return QStringLiteral("policy");
    case Section::Rules: return QStringLiteral("rules");
    case Section::Issuer: return QStringLiteral("issuer");
    case Section::Keys: return QStringLiteral("keys");
    case Section::Refresh: return QStringLiteral("refresh");
    case Section::Jwks: return QStringLiteral("jwks");
    case Section::Exception: return QStringLiteral("exception");
    case Section::Allow: return QStringLiteral("allow");
    case Section::ExceptionKeys: return QStringLiteral("exceptionKeys");
    case Section::Delegation: return QStringLiteral("delegation");
    case Section::Deployment: return QStringLiteral("deployment");
    case Section::None: break;
    }
    return {};
}

QStringList choicesOf(const FieldSpec& field)
{
    if (field.choices.empty())
        return {};
    return QString::fromLatin1(field.choices.data(), static_cast<qsizetype>(field.choices.size()))
        .split(u'|');
}

bool hasUpperLimit(const FieldSpec& field) { return field.maximum != kInt64Max && field.maximum != kIntMax; }

QString rangeProblem(const FieldSpec& field, qint64 value)
{
    if (value >= field.minimum && value <= field.maximum)
        return {};
    // An upper bound that only guards the number type is not a limit worth naming.
    const QString range = hasUpperLimit(field)
                              ? QStringLiteral("between %1 and %2").arg(field.minimum).arg(field.maximum)
                              : QStringLiteral("at least %1").arg(field.minimum);
    return QStringLiteral("must be %1 (got %2)").arg(range).arg(value);
}

Status checkRules(const Rules& rules, const QString& path)
{
    const auto integer = [&](const auto& value, std::string_view name) -> Status {
        return value ? rangeError(field(Section::Rules, name), static_cast<qint64>(*value), path) : Status(Ok{});
    };
    const auto list = [&](const std::optional<QStringList>& value, std::string_view name) {
        return listError(value, field(Section::Rules, name), path);
    };
    // In table order, so the first problem reported is the one the loader would report first.
    for (const Status& s : {list(rules.algorithms, "algorithms"), integer(rules.clockSkewSeconds, "clock_skew_seconds"),
                            integer(rules.maxLifetimeSeconds, "max_lifetime_seconds"),
                            list(rules.requiredClaims, "required_claims"), list(rules.allowedHeaders, "allowed_headers"),
                            list(rules.allowedTypes, "allowed_types"), integer(rules.maxTokenBytes, "max_token_bytes")}) {
        if (!s)
            return s;
    }
    return Ok{};
}

Status checkAllow(const ExceptionAllow& allow, const QString& path)
{
    const auto integer = [&](const auto& value, std::string_view name) -> Status {
        return value ? rangeError(field(Section::Allow, name), static_cast<qint64>(*value), path) : Status(Ok{});
    };
    const auto list = [&](const std::optional<QStringList>& value, std::string_view name) {
        return listError(value, field(Section::Allow, name), path);
    };
    for (const Status& s : {list(allow.algorithms, "algorithms"), list(allow.headers, "headers"),
                            integer(allow.clockSkewSeconds, "clock_skew_seconds"),
                            integer(allow.maxLifetimeSeconds, "max_lifetime_seconds"), list(allow.kids, "kids")}) {
        if (!s)
            return s;
    }
    return Ok{};
}

} // namespace jwb::policy
