// SPDX-License-Identifier: Apache-2.0
// Judging the verifiers of an estate: verdicts, explained and unexplained findings, the matrix and
// the JSON document.

#include "estate/EstateReport.h"

#include "util/Time.h"

#include <QJsonArray>

#include <algorithm>

namespace jwb::estate {

namespace {

// Higher is worse: the cell of a class is its worst outcome.
int severity(probe::Outcome o)
{
    switch (o) {
    case probe::Outcome::AcceptsRejected: return 3;
    case probe::Outcome::RejectsAccepted: return 2;
    case probe::Outcome::Inconclusive: return 1;
    case probe::Outcome::Conforms: break;
    }
    return 0;
}

int severity(const QString& outcomeName)
{
    for (probe::Outcome o : {probe::Outcome::AcceptsRejected, probe::Outcome::RejectsAccepted,
                             probe::Outcome::Inconclusive, probe::Outcome::Conforms}) {
        if (probe::outcomeName(o) == outcomeName)
            return severity(o);
    }
    return -1;
}

const exporting::GapEntry* gapRow(const QList<exporting::GapEntry>& rows, const QString& issuer, const QString& control)
{
    for (const exporting::GapEntry& g : rows) {
        if (g.issuer == issuer && g.control == control)
            return &g;
    }
    return nullptr;
}

// A refused token the policy accepts is predicted where the export enforces its control more
// strictly than the policy (GapEntry::stricter: no leeway, an nbf always required).
bool predictsRejection(const exporting::GapEntry* row)
{
    return row && row->status == exporting::GapStatus::Enforced && row->stricter;
}

QJsonValue orNull(const QString& s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonArray findingsToJson(const QList<Finding>& findings)
{
    QJsonArray a;
    for (const Finding& f : findings)
        a.append(findingToJson(f)); // declared in EstateReport.h, defined below
    return a;
}

QJsonObject advisoryToJson(const Advisory& a)
{
    QJsonArray ranges;
    for (const AffectedRange& r : a.affected) {
        QJsonObject range{{QStringLiteral("introduced"), r.introduced}};
        if (!r.fixed.isEmpty())
            range.insert(QStringLiteral("fixed"), r.fixed);
        else
            range.insert(QStringLiteral("last_affected"), r.lastAffected);
        ranges.append(range);
    }
    return {{QStringLiteral("id"), a.id},
            {QStringLiteral("aliases"), QJsonArray::fromStringList(a.aliases)},
            {QStringLiteral("ecosystem"), a.ecosystem},
            {QStringLiteral("library"), a.library},
            {QStringLiteral("weakness"), a.weakness},
            {QStringLiteral("affected"), ranges},
            {QStringLiteral("fixed"), orNull(a.fixed)},
            {QStringLiteral("summary"), a.summary},
            {QStringLiteral("reference"), a.reference}};
}

QJsonValue driftToJson(const VerifierEvidence& e)
{
    if (!e.drift)
        return QJsonValue(QJsonValue::Null);
    QJsonArray findings;
    int loosening = 0;
    for (const exporting::DriftFinding& f : e.drift->findings) {
        loosening += f.classification == exporting::DriftClass::Loosening ? 1 : 0;
        findings.append(QJsonObject{{QStringLiteral("kind"), f.kind},
                                    {QStringLiteral("issuer"), f.issuer},
                                    {QStringLiteral("path"), f.path},
                                    {QStringLiteral("message"), f.message},
                                    {QStringLiteral("classification"), exporting::driftClassName(f.classification)}});
    }
    return QJsonObject{{QStringLiteral("target"), e.drift->target},
                       {QStringLiteral("config"), e.driftConfig},
                       {QStringLiteral("providers"), e.drift->providers},
                       {QStringLiteral("findings"), findings},
                       {QStringLiteral("loosening"), loosening}};
}

} // namespace

QJsonObject findingToJson(const Finding& f)
{
    QJsonObject o{{QStringLiteral("source"), f.source}, {QStringLiteral("detail"), f.detail}};
    if (f.source == u"probe") {
        if (!f.result.isEmpty())
            o.insert(QStringLiteral("result"), f.result);
        o.insert(QStringLiteral("variant"), f.variant);
        o.insert(QStringLiteral("class"), f.variantClass);
        o.insert(QStringLiteral("control"), f.control);
        o.insert(QStringLiteral("issuer"), f.issuer);
        o.insert(QStringLiteral("fingerprint"), f.fingerprint);
        o.insert(QStringLiteral("predicted"), f.predicted);
    } else if (f.source == u"drift") {
        o.insert(QStringLiteral("kind"), f.control);
        o.insert(QStringLiteral("issuer"), f.issuer);
        o.insert(QStringLiteral("path"), f.path);
    } else {
        o.insert(QStringLiteral("id"), f.id);
        o.insert(QStringLiteral("weakness"), f.control);
    }
    return o;
}

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Weak: return QStringLiteral("weak");
    case Verdict::BreaksValidTraffic: return QStringLiteral("breaks_valid_traffic");
    case Verdict::Inconclusive: return QStringLiteral("inconclusive");
    case Verdict::Conforms: break;
    }
    return QStringLiteral("conforms");
}

QStringList matrixClassOrder()
{
    return {QStringLiteral("valid"),         QStringLiteral("alg_none"),        QStringLiteral("alg_confusion"),
            QStringLiteral("embedded_key"),  QStringLiteral("key_url"),         QStringLiteral("kid_injection"),
            QStringLiteral("signature"),     QStringLiteral("crit"),            QStringLiteral("expiry"),
            QStringLiteral("not_before"),    QStringLiteral("issued_at"),       QStringLiteral("lifetime"),
            QStringLiteral("audience"),      QStringLiteral("issuer"),          QStringLiteral("typ"),
            QStringLiteral("header"),        QStringLiteral("required_claims"), QStringLiteral("subject"),
            QStringLiteral("duplicate_claims")};
}

VerifierAssessment assessVerifier(const Verifier& verifier, VerifierEvidence evidence)
{
    VerifierAssessment a;
    a.name = verifier.name;
    a.kind = verifierKindName(verifier.kind);
    a.owner = verifier.owner;
    a.issuers = verifier.issuers;
    a.library = verifier.library;
    if (const auto target = referenceTargetFor(verifier); target && evidence.predicted)
        a.target = exporting::targetName(*target);

    int rejectsAccepted = 0;
    int inconclusive = 0;
    bool checkedSomething = false;
    if (evidence.probe) {
        checkedSomething = true;
        for (const probe::ProbeResult& r : evidence.probe->results) {
            const QString outcome = probe::outcomeName(r.result);
            auto cell = a.cells.find(r.variantClass);
            if (cell == a.cells.end())
                a.cells.insert(r.variantClass, outcome);
            else if (severity(outcome) > severity(*cell))
                *cell = outcome;
            const exporting::GapEntry* row =
                evidence.predicted ? gapRow(*evidence.predicted, r.issuer, r.control) : nullptr;
            Finding f;
            f.source = QStringLiteral("probe");
            f.result = outcome;
            f.variant = r.variant;
            f.variantClass = r.variantClass;
            f.control = r.control;
            f.issuer = r.issuer;
            f.fingerprint = r.fingerprint;
            f.predicted = row ? exporting::gapStatusName(row->status) : QStringLiteral("none");
            switch (r.result) {
            case probe::Outcome::RejectsAccepted:
                if (predictsRejection(row)) {
                    f.detail = QStringLiteral("rejected %1 (HTTP %2), which the policy accepts; the %3 gap report predicted it: %4")
                                   .arg(r.variant)
                                   .arg(r.httpStatus)
                                   .arg(a.target, row->detail);
                    a.explainedRejections.append(f);
                }
                // Predicted or not, valid traffic is refused: the verdict says so, the list says why.
                ++rejectsAccepted;
                continue;
            case probe::Outcome::Inconclusive: ++inconclusive; continue;
            case probe::Outcome::Conforms: continue;
            case probe::Outcome::AcceptsRejected: break;
            }
            const QString step = r.expectedStep.isEmpty() ? QString() : QStringLiteral(" (the core rejects it at %1)").arg(r.expectedStep);
            if (row && row->status == exporting::GapStatus::NotEnforced) {
                f.detail = QStringLiteral("accepted %1%2; the %3 gap report predicted it: %4")
                               .arg(r.variant, step, a.target, row->detail);
                a.explained.append(f);
            } else if (!evidence.predicted) {
                f.detail = QStringLiteral("accepted %1%2; no export predicts what a %3 verifier enforces")
                               .arg(r.variant, step, a.kind);
                a.unexplained.append(f);
            } else {
                f.detail = QStringLiteral("accepted %1%2, although the %3 gap report says control %4 is %5")
                               .arg(r.variant, step, a.target, r.control.isEmpty() ? QStringLiteral("(none)") : r.control,
                                    f.predicted);
                a.unexplained.append(f);
            }
        }
    }
    int loosening = 0;
    if (evidence.drift) {
        checkedSomething = true;
        for (const exporting::DriftFinding& d : evidence.drift->findings) {
            if (d.classification != exporting::DriftClass::Loosening)
                continue;
            ++loosening;
            Finding f;
            f.source = QStringLiteral("drift");
            f.control = d.kind;
            f.issuer = d.issuer;
            f.path = d.path;
            f.detail = d.message;
            a.unexplained.append(f);
        }
    }
    if (evidence.libraryChecked) {
        checkedSomething = true;
        for (const Advisory& adv : evidence.advisories) {
            Finding f;
            f.source = QStringLiteral("advisory");
            f.id = adv.id;
            f.control = adv.weakness;
            f.detail = adv.summary + (adv.fixed.isEmpty() ? QStringLiteral(" No fixed version is known.")
                                                          : QStringLiteral(" Fixed in %1.").arg(adv.fixed));
            a.unexplained.append(f);
        }
    }

    const int unexplainedAcceptances = static_cast<int>(std::count_if(
        a.unexplained.begin(), a.unexplained.end(), [](const Finding& f) { return f.source == u"probe"; }));
    if (unexplainedAcceptances > 0)
        a.reasons << QStringLiteral("accepts %1 token(s) the policy rejects that its gap report does not predict")
                         .arg(unexplainedAcceptances);
    if (!a.explained.isEmpty())
        a.reasons << QStringLiteral("accepts %1 token(s) the policy rejects, as its %2 gap report predicted")
                         .arg(a.explained.size())
                         .arg(a.target);
    if (!a.explainedRejections.isEmpty())
        a.reasons << QStringLiteral("rejects %1 token(s) the policy accepts, as its %2 gap report predicted (stricter)")
                         .arg(a.explainedRejections.size())
                         .arg(a.target);
    if (loosening > 0)
        a.reasons << QStringLiteral("its deployed configuration is looser than the policy (%1 drift finding(s))").arg(loosening);
    if (!evidence.advisories.isEmpty())
        a.reasons << QStringLiteral("its library %1 %2 has %3 known advisory(ies)")
                         .arg(verifier.library ? verifier.library->name : QString(),
                              verifier.library ? verifier.library->version : QString())
                         .arg(evidence.advisories.size());
    if (const qsizetype unpredicted = rejectsAccepted - a.explainedRejections.size(); unpredicted > 0)
        a.reasons << QStringLiteral("rejects %1 token(s) the policy accepts").arg(unpredicted);
    if (inconclusive > 0)
        a.reasons << QStringLiteral("%1 token(s) gave no conclusive answer").arg(inconclusive);
    if (evidence.probe && evidence.probe->cancelled)
        a.reasons << QStringLiteral("the probe was cancelled");
    if (!evidence.probe)
        a.reasons << QStringLiteral("not probed");
    if (!checkedSomething)
        a.reasons << QStringLiteral("nothing to check: give a probe, a config or a library");

    // Explained or not, an accepted token the policy rejects makes the verifier weak: the chain is
    // as strict as its weakest member whatever was known when deploying it. The explained and
    // unexplained lists tell the two apart.
    if (!a.explained.isEmpty() || unexplainedAcceptances > 0 || loosening > 0 || !evidence.advisories.isEmpty())
        a.verdict = Verdict::Weak;
    else if (rejectsAccepted > 0)
        a.verdict = Verdict::BreaksValidTraffic;
    else if (inconclusive > 0 || !checkedSomething || (evidence.probe && evidence.probe->cancelled))
        a.verdict = Verdict::Inconclusive;
    else
        a.verdict = Verdict::Conforms;
    a.evidence = std::move(evidence);
    return a;
}

EstateMatrix buildMatrix(const QList<VerifierAssessment>& verifiers)
{
    EstateMatrix m;
    m.classes = matrixClassOrder();
    for (const VerifierAssessment& v : verifiers) {
        for (auto it = v.cells.begin(); it != v.cells.end(); ++it) {
            if (!m.classes.contains(it.key()))
                m.classes.append(it.key());
        }
    }
    for (const VerifierAssessment& v : verifiers) {
        MatrixRow row;
        row.verifier = v.name;
        for (const QString& c : m.classes)
            row.cells.insert(c, v.cells.value(c, kNotProbed));
        for (const Finding& f : v.unexplained) {
            if (f.source == u"probe" && !row.unexplainedClasses.contains(f.variantClass))
                row.unexplainedClasses.append(f.variantClass);
        }
        std::sort(row.unexplainedClasses.begin(), row.unexplainedClasses.end(),
                  [&m](const QString& x, const QString& y) { return m.classes.indexOf(x) < m.classes.indexOf(y); });
        m.rows.append(row);
    }
    return m;
}

int estateExitCode(const EstateReport& report)
{
    if (report.cancelled)
        return 1;
    return std::all_of(report.verifiers.begin(), report.verifiers.end(),
                       [](const VerifierAssessment& v) { return v.verdict == Verdict::Conforms; })
               ? 0
               : 1;
}

QJsonObject estateReportToJson(const EstateReport& report)
{
    QJsonArray verifiers;
    QJsonObject counts{{verdictName(Verdict::Weak), 0},
                       {verdictName(Verdict::BreaksValidTraffic), 0},
                       {verdictName(Verdict::Inconclusive), 0},
                       {verdictName(Verdict::Conforms), 0}};
    for (const VerifierAssessment& v : report.verifiers) {
        counts.insert(verdictName(v.verdict), counts.value(verdictName(v.verdict)).toInt() + 1);
        QJsonArray advisories;
        for (const Advisory& adv : v.evidence.advisories)
            advisories.append(advisoryToJson(adv));
        QJsonValue library(QJsonValue::Null);
        if (v.library)
            library = QJsonObject{{QStringLiteral("name"), v.library->name},
                                  {QStringLiteral("version"), v.library->version},
                                  {QStringLiteral("ecosystem"), orNull(v.library->ecosystem)},
                                  {QStringLiteral("export"), v.library->exportTarget
                                                                 ? QJsonValue(exporting::targetName(*v.library->exportTarget))
                                                                 : QJsonValue(QJsonValue::Null)}};
        verifiers.append(QJsonObject{
            {QStringLiteral("name"), v.name},
            {QStringLiteral("kind"), v.kind},
            {QStringLiteral("owner"), v.owner},
            {QStringLiteral("issuers"), QJsonArray::fromStringList(v.issuers)},
            {QStringLiteral("target"), orNull(v.target)},
            {QStringLiteral("verdict"), verdictName(v.verdict)},
            {QStringLiteral("reasons"), QJsonArray::fromStringList(v.reasons)},
            {QStringLiteral("probe"), v.evidence.probe ? QJsonValue(probe::probeReportToJson(*v.evidence.probe))
                                                       : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("drift"), driftToJson(v.evidence)},
            {QStringLiteral("library"), library},
            {QStringLiteral("advisories"), advisories},
            {QStringLiteral("explained"), findingsToJson(v.explained)},
            {QStringLiteral("unexplained"), findingsToJson(v.unexplained)},
            {QStringLiteral("explained_rejections"), findingsToJson(v.explainedRejections)},
        });
    }
    QJsonArray rows;
    for (const MatrixRow& r : report.matrix.rows) {
        QJsonObject cells;
        for (auto it = r.cells.begin(); it != r.cells.end(); ++it)
            cells.insert(it.key(), it.value());
        rows.append(QJsonObject{{QStringLiteral("verifier"), r.verifier},
                                {QStringLiteral("cells"), cells},
                                {QStringLiteral("unexplained_classes"), QJsonArray::fromStringList(r.unexplainedClasses)}});
    }
    return {{QStringLiteral("estate"), report.estatePath},
            {QStringLiteral("name"), orNull(report.estateName)},
            {QStringLiteral("policy"), report.policyName},
            {QStringLiteral("policy_file"), report.policyPath},
            {QStringLiteral("checked_at"), util::formatInstant(report.checkedAtUnixSeconds)},
            {QStringLiteral("advisories_updated"), report.advisoriesUpdated},
            {QStringLiteral("cancelled"), report.cancelled},
            {QStringLiteral("summary"), counts},
            {QStringLiteral("verifiers"), verifiers},
            {QStringLiteral("matrix"),
             QJsonObject{{QStringLiteral("classes"), QJsonArray::fromStringList(report.matrix.classes)},
                         {QStringLiteral("rows"), rows}}}};
}

} // namespace jwb::estate
