// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"

#include <QList>
#include <QString>

namespace jwb::lint {

enum class Severity { Error, Warning, Info };
QString severityName(Severity s); // "error" | "warning" | "info"

// One weakness found in a policy. `path` uses the loader's field paths
// ("issuers[1].overrides.clock_skew_seconds") so the GUI can go to the field and the CLI can print
// the file line (from Policy::sourceLines).
struct Finding {
    QString ruleId;     // stable, e.g. "alg-none-allowed"
    Severity severity = Severity::Warning;
    QString message;    // what is wrong and why it matters, for a reviewer
    QString reference;  // RFC section or guidance it rests on
    QString path;       // field path in the policy
    QString issuer;     // issuer concerned, if any
    int line = 0;       // file line when the policy came from a file, else 0
};

struct RuleInfo {
    QString id;
    Severity severity;
    QString summary;
    QString reference;
};

QList<RuleInfo> allRules();
// Runs every rule. `atUnixSeconds` decides which exceptions are expired or expiring.
QList<Finding> lintPolicy(const policy::Policy& policy, qint64 atUnixSeconds);

} // namespace jwb::lint
