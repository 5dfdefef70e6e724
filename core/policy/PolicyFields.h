// SPDX-License-Identifier: Apache-2.0
#pragma once

// The fields of policy format v1, as one table: the reader's allowed keys and range checks, the
// writer's key order, the rule-field names of lint and diff, the editors' ranges and tooltips and
// the document's validation all come from it, and a test holds the JSON Schema
// (resources/schema/jwt-policy-v1.schema.json) to it. docs/policy-format.md describes the same
// fields for people, and says which mistakes refuse to load and which are lint findings.

#include "policy/Policy.h"
#include "util/Error.h"

#include <QString>
#include <QStringList>

#include <span>
#include <string_view>

namespace jwb::policy {

// A mapping of the file; every field belongs to exactly one.
enum class Section {
    Root,          // the top level
    Rules,         // defaults, issuers[].overrides
    Issuer,        // issuers[]
    Keys,          // issuers[].keys
    Refresh,       // issuers[].keys.refresh
    Jwks,          // keys.jwks, keys.test_jwks, allow.keys.jwks (JWK members inside are open, RFC 7517)
    Exception,     // exceptions[]
    Allow,         // exceptions[].allow
    ExceptionKeys, // exceptions[].allow.keys
    Delegation,    // delegation
    Deployment,    // deployments[]
    None,          // no section: a field that holds none, or a list of open objects (JWKs)
};

enum class FieldType {
    Version,        // jwt_policy: an integer that must equal the format this build reads
    String,
    NonEmptyString,
    Integer,        // within [minimum, maximum]
    Boolean,
    StringList,     // a list of non-empty strings
    Choice,         // one of `choices`
    Instant,        // a date (end of that day, UTC) or an RFC 3339 instant
    Mapping,        // holds the fields of `child`
    List,           // a list whose items hold the fields of `child` (Section::None: open objects)
};

// Where the value comes from when the field is unset.
enum class Inherit {
    No,           // the field's built-in value, if any, or nothing
    FromDefaults, // a Rules field: an issuer's override inherits `defaults`, `defaults` the built-in value
    ByException,  // an Allow field: while the exception is active it loosens the issuer's own rule
};

struct FieldSpec {
    Section section = Section::None;
    std::string_view name{};        // as the file spells it: a contract, add, never rename
    FieldType type = FieldType::String;
    Section child = Section::None;  // Mapping and List: the section of the value (or of each item)
    qint64 minimum = 0;             // Integer and Version: inclusive bounds
    qint64 maximum = 0;
    std::string_view builtIn{};     // JSON text of the value that applies when unset; empty: none
    Inherit inherit = Inherit::No;
    bool required = false;          // the loader refuses its mapping without it
    std::string_view choices{};     // Choice: the accepted words, separated by '|'
    std::string_view reference{};   // the RFC section (or other source) the field rests on
    std::string_view help{};        // one or two sentences for tooltips and the format reference
};

// Every field of format v1, grouped by section (Root first), each section in the order the
// writer writes it.
std::span<const FieldSpec> policyFields();
std::span<const FieldSpec> fieldsOf(Section section);
// The field `name` of `section`, or nullptr.
const FieldSpec* findField(Section section, std::string_view name);
// The same, for names the caller knows to be in the table (a missing one is a programming error).
const FieldSpec& field(Section section, std::string_view name);

QString fieldName(const FieldSpec& field);        // "clock_skew_seconds"
QString sectionName(Section section);             // "rules", "issuer", ...
QStringList choicesOf(const FieldSpec& field);    // Choice: {"reject", "allow"}
// Whether the field's maximum is a limit of the format, not just the largest number its type holds.
bool hasUpperLimit(const FieldSpec& field);
// Why `value` is outside the field's range ("must be between 0 and 300 (got 900)"), or empty.
QString rangeProblem(const FieldSpec& field, qint64 value);

// What the loader would refuse in a rule set or an exception's allow, checked on the model: values
// outside the table's ranges (ERR_POLICY_RANGE) and empty list entries (ERR_POLICY_VALUE). The
// location is `path` plus the field ("defaults.clock_skew_seconds"). Lint findings are not errors here.
Status checkRules(const Rules& rules, const QString& path);
Status checkAllow(const ExceptionAllow& allow, const QString& path);

} // namespace jwb::policy
