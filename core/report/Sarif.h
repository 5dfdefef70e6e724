// SPDX-License-Identifier: Apache-2.0
// SARIF 2.1.0 (OASIS) for code-scanning dashboards (issue 19): a small value model of one run, turned
// into the SARIF log object, and one builder per source of results (lint, gaps, drift, self-test,
// probe). The CLI verbs only choose a builder; nothing here decides a finding, it only re-expresses
// the core's reports.
//
// Rule ids: lint findings keep their lint rule id ("alg-none-allowed"); the other sources are
// prefixed because their raw ids overlap ("audience" is a drift kind, a self-test class and a probe
// class): "gap/<control>", "drift/<kind>", "selftest/<variant class>", "probe/<outcome>".
//
// Fingerprints: partialFingerprints["jwtPolicyFinding/v1"] is the SHA-256 (hex) of the rule id, the
// issuer, the field path with issuer and exception indices replaced by their names, and the target or
// variant, so a finding keeps its identity when lines move, messages are reworded or issuers are
// reordered. Never over line numbers or message text.
//
// `estate check` has estateToSarif over estate::EstateReport ("estate/<finding>" rule ids).
#pragma once

#include "estate/Estate.h"
#include "estate/EstateReport.h"

#include "export/Drift.h"
#include "export/Export.h"
#include "lint/Lint.h"
#include "policy/Policy.h"
#include "probe/Probe.h"
#include "verify/SelfTest.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace jwb::report {

// SARIF result.level / reportingDescriptor.defaultConfiguration.level.
enum class SarifLevel { None, Note, Warning, Error };
QString sarifLevelName(SarifLevel level); // "none" | "note" | "warning" | "error"

// One reportingDescriptor of tool.driver.rules.
struct SarifRule {
    QString id;
    QString shortDescription;
    QString help;                 // help.text: what the rule checks and what to do
    QString reference;            // the RFC section or guidance it rests on; properties.reference
    SarifLevel defaultLevel = SarifLevel::Warning;
    QStringList tags;             // properties.tags ("security", "jwt", the source)
    bool operator==(const SarifRule&) const = default;
};

// Where a result is. A physical location needs `uri`; `startLine` 0 leaves the region out (the line
// is not known). A logical location (a configuration path, a probed URL) is added when named.
struct SarifLocation {
    QString uri;                  // from artifactUri(): relative to SRCROOT, or an absolute file: URI
    int startLine = 0;
    QString logicalName;          // "https://staging.example/api" or "providers.workforce.clock_skew_seconds"
    QString logicalKind;          // "resource", "member", ...
    bool operator==(const SarifLocation&) const = default;
};

struct SarifResult {
    QString ruleId;
    SarifLevel level = SarifLevel::Warning;
    QString message;
    SarifLocation location;
    // Hashed into partialFingerprints; repeats within one run get an occurrence suffix so every
    // result keeps its own identity.
    QStringList fingerprintParts;
    QJsonObject properties;       // the source's own fields (issuer, target, status, ...)
    bool operator==(const SarifResult&) const = default;
};

// One run: one invocation of one verb.
struct SarifRun {
    // runs[].automationDetails.id, e.g. "jwt-policy/lint/policies/edge.yaml/": code scanning keeps one
    // analysis per id, so two policies (or two targets) uploaded side by side do not replace each other.
    QString automationId;
    QString srcRoot;              // originalUriBaseIds.SRCROOT: absolute file: URI of the base, ending in '/'
    QList<SarifRule> rules;
    QList<SarifResult> results;   // every ruleId names a member of `rules`
    QStringList notifications;    // invocation notes (self-test notes, what a probe did not cover)
};

// The whole SARIF log ({"$schema", "version": "2.1.0", "runs": [one run]}) for `run`.
QJsonObject sarifToJson(const SarifRun& run);
// Lowercase hex SHA-256 over the parts, each length-prefixed so ("ab","c") and ("a","bc") differ.
QString sarifFingerprint(const QStringList& parts);

// The artifactLocation.uri of `filePath` as seen from `baseDir`: a relative URI reference
// (percent-encoded, '/' separators) when the file lies under baseDir, else an absolute file: URI.
QString artifactUri(const QString& filePath, const QString& baseDir);

// What every builder needs besides its report.
struct SarifContext {
    QString baseDir;              // the directory URIs are relative to (the CLI: the current directory)
    QString policyFile;           // the policy file as given on the command line
};

// Lint: one rule per lint::allRules() id; error/warning/note from the severity; the finding's file line.
SarifRun lintToSarif(const policy::Policy& policy, const QList<lint::Finding>& findings, const SarifContext& context);
// Gaps: one rule per exporting::controlIds() control; not_enforced is an error on an only_verifier
// target (exporting::isBlockingGap) and a warning elsewhere, emulated a note; enforced and not_used
// rows are no result. Located at the issuer's entry in the policy file.
SarifRun gapsToSarif(const policy::Policy& policy, const QList<exporting::GapEntry>& gaps, const SarifContext& context);
// Drift: one rule per finding kind; loosening an error, unverified a warning. Located in the deployed
// configuration `configFile` (its text `config` gives the line of the finding's path where it exists).
SarifRun driftToSarif(const policy::Policy& policy, const exporting::DriftReport& report, const QString& configFile,
                      const QByteArray& config, const SarifContext& context);
// Self-test: one rule per variant class; each accepted variant an error at the issuer's entry.
SarifRun selfTestToSarif(const policy::Policy& policy, const verify::SelfTestReport& report, const SarifContext& context);
// Probe: one rule per outcome; accepts_rejected an error, rejects_accepted a warning, inconclusive a
// note, conforms no result. The probed URL is the logical location, the issuer's entry the physical one.
SarifRun probeToSarif(const policy::Policy& policy, const probe::ProbeReport& report, const SarifContext& context);

// Estate check: one result per finding of each verifier, at the verifier's entry in the estate file
// (its probed URL, or its name, as the logical location). Rules: estate/unexplained_acceptance and
// estate/drift_loosening and estate/advisory are errors (the weak verdict), estate/rejects_accepted
// a warning, estate/known_gap a warning (what its target's gap report predicted), estate/inconclusive
// a note per verifier with tokens that got no usable answer.
SarifRun estateToSarif(const estate::Estate& estate, const estate::EstateReport& report, const SarifContext& context);

} // namespace jwb::report
