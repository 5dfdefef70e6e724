// SPDX-License-Identifier: Apache-2.0
// Known vulnerabilities of JWT libraries (resources/advisories/jwt-libraries.json): a service
// built on an affected version is weak whatever its configuration says, and no probe can show a
// parser bug that needs a particular input. The file carries its date, and every report shows it,
// so a reader knows how fresh the list is.
#pragma once

#include "util/Error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace jwb::estate {

// One affected range: introduced <= v < fixed, or introduced <= v <= lastAffected.
// "0" as introduced means every earlier version.
struct AffectedRange {
    QString introduced;
    QString fixed;        // empty when lastAffected is given
    QString lastAffected; // empty when fixed is given
    bool operator==(const AffectedRange&) const = default;
};

struct Advisory {
    QString id;                 // CVE or GHSA id
    QStringList aliases;        // other ids of the same issue
    QString ecosystem;          // npm, PyPI, Go, Maven, NuGet, RubyGems, C, C++
    QString library;            // the package name in its registry
    QStringList libraryAliases; // other names of the same package (Go module paths, repository names)
    // What kind of weakness: algorithm_confusion, none_algorithm, key_selection, claim_check,
    // signature, parser, denial_of_service.
    QString weakness;
    QList<AffectedRange> affected;
    QString fixed;              // the first fixed version to upgrade to; empty when none is known
    QString summary;            // one line, in the project's words
    QString reference;          // URL of the advisory
    bool operator==(const Advisory&) const = default;
};

struct AdvisoryDb {
    QString updated;            // "2026-12-07": when the list was last checked against its sources
    QList<Advisory> advisories;
};

// Parses the advisories file strictly: unknown fields, missing fields, bad versions, a bad date
// are ERR_ADVISORIES_* errors naming the entry. `sourceName` names the file in errors.
Result<AdvisoryDb> parseAdvisories(const QByteArray& json, const QString& sourceName);
Result<AdvisoryDb> loadAdvisoriesFile(const QString& path);
// The list embedded in the binary (":/advisories/jwt-libraries.json").
Result<AdvisoryDb> loadBundledAdvisories();

// Compares two versions the way package registries order them, loosely enough for every
// ecosystem the list covers: a leading "v" and build metadata ("+incompatible") are ignored,
// numeric parts compare as numbers, missing parts count as zero ("1.0" == "1.0.0"), and a
// pre-release tag (alpha, a, beta, b, rc, pre, preview, dev, ...) sorts before the release it
// precedes while a post-release tag (post, p, patch) sorts after. Returns <0, 0 or >0.
int compareVersions(QStringView a, QStringView b);
// Whether `version` falls in `range`.
bool versionInRange(QStringView version, const AffectedRange& range);

// The advisories of `db` that affect `library` at `version`: names compare case-insensitively with
// the entry's library and its aliases; an empty `ecosystem` matches any ecosystem.
QList<Advisory> matchAdvisories(const AdvisoryDb& db, QStringView library, QStringView version,
                                QStringView ecosystem = {});

} // namespace jwb::estate
