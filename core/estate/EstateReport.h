// SPDX-License-Identifier: Apache-2.0
// What an estate check found: per verifier a verdict with its reasons, the findings the gap report
// explains and those it does not, and one matrix of verifiers x variant classes. These are core
// values: the CLI prints them and a GUI shows them, neither re-derives a verdict.
#pragma once

#include "estate/Advisories.h"
#include "estate/Estate.h"
#include "export/Drift.h"
#include "export/Export.h"
#include "probe/Probe.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace jwb::estate {

// A contract (JSON "verdict"): add, never rename.
//   weak                  accepts a token the policy rejects (explained by the gap report or not),
//                         deploys a configuration looser than the policy, or runs a library with a
//                         known advisory
//   breaks_valid_traffic  rejects a token the policy accepts (and is not weak), predicted by the
//                         gap report (explained_rejections) or not
//   inconclusive          some of it could not be checked (no answer, an unexpected status, a
//                         token not sent, nothing to check at all) and nothing above was found
//   conforms              everything checked behaved as the policy says
enum class Verdict { Weak, BreaksValidTraffic, Inconclusive, Conforms };
inline constexpr int kVerdictCount = 4;
QString verdictName(Verdict v);

// One point where the verifier is weaker than the policy.
//   source "probe":    an accepted token the policy rejects (variant, class, control, issuer,
//                      fingerprint; predicted = the gap row's status for that control)
//   source "drift":    a loosening finding of the deployed configuration (kind, path, detail)
//   source "advisory": a known vulnerability of the service's library (id, detail = summary)
struct Finding {
    QString source;
    QString variant;
    QString variantClass;
    QString control;    // probe: the gap control; drift: the finding kind; advisory: the weakness
    QString issuer;
    QString fingerprint;
    QString predicted;  // probe: enforced | emulated | not_enforced | not_used | none (no prediction)
    QString path;       // drift: where in the configuration
    QString id;         // advisory: the CVE/GHSA id
    QString detail;     // one sentence
    QString result;     // probe: accepts_rejected | rejects_accepted (JSON "result")
    bool operator==(const Finding&) const = default;
};

// The evidence gathered for one verifier, before it is judged. Hand-made in tests.
struct VerifierEvidence {
    std::optional<probe::ProbeReport> probe;
    std::optional<exporting::DriftReport> drift;
    QString driftConfig;                     // the configuration file drift read
    QList<Advisory> advisories;              // the advisories matching its library
    bool libraryChecked = false;             // a library was given and looked up
    // The gap report rows of the verifier's export target (all issuers); nullopt when its kind has
    // no export target, so nothing predicted its behaviour.
    std::optional<QList<exporting::GapEntry>> predicted;
};

struct VerifierAssessment {
    QString name;
    QString kind;                // verifierKindName()
    QString owner;
    QStringList issuers;
    QString target;              // the export target compared with, or empty
    Verdict verdict = Verdict::Inconclusive;
    QStringList reasons;         // why the verdict, one short sentence each, most serious first
    VerifierEvidence evidence;
    std::optional<LibraryRef> library;
    QList<Finding> explained;    // accepted tokens the gap report predicted (not_enforced rows)
    // Tokens the policy accepts that the verifier refused where its gap row says the export is
    // stricter than the policy (Apache has no leeway: a token inside the skew after exp).
    QList<Finding> explainedRejections;
    QList<Finding> unexplained;  // everything else that makes the verifier weak
    // class -> worst outcome of its tokens: accepts_rejected > rejects_accepted > inconclusive >
    // conforms; classes without tokens are absent (the matrix shows them as not_probed).
    QMap<QString, QString> cells;
};

// The matrix column order: the probe's variant classes, then any other class a probe reported.
QStringList matrixClassOrder();
inline const QString kNotProbed = QStringLiteral("not_probed");

struct MatrixRow {
    QString verifier;
    QMap<QString, QString> cells;      // every class of EstateMatrix::classes: outcome or not_probed
    QStringList unexplainedClasses;    // classes holding an unexplained acceptance
};

struct EstateMatrix {
    QStringList classes;
    QList<MatrixRow> rows;
};

struct EstateReport {
    QString estatePath;
    QString estateName;
    QString policyPath;
    QString policyName;
    qint64 checkedAtUnixSeconds = 0;
    QString advisoriesUpdated;
    QList<VerifierAssessment> verifiers;
    EstateMatrix matrix;
    bool cancelled = false;
};

// Judges one verifier on its evidence. An accepted token the policy rejects is explained when the
// gap row of its control, for its issuer, on the verifier's target is not_enforced; a refused token
// the policy accepts is explained when that row is enforced and says the export is stricter than
// the policy. Without a target nothing is explained. Pure: the same evidence gives the same
// assessment.
VerifierAssessment assessVerifier(const Verifier& verifier, VerifierEvidence evidence);
EstateMatrix buildMatrix(const QList<VerifierAssessment>& verifiers);

// 0 when every verifier conforms, 1 otherwise (weak, breaks valid traffic, inconclusive, or the
// check was cancelled). Usage and file errors (2) never reach a report.
int estateExitCode(const EstateReport& report);

// One finding as the JSON document writes it (an item of "explained", "unexplained", ...).
QJsonObject findingToJson(const Finding& finding);
// The `jwt-policy estate check --format json` document (docs/estate.md): a contract.
QJsonObject estateReportToJson(const EstateReport& report);

} // namespace jwb::estate
