// SPDX-License-Identifier: Apache-2.0
// jwt-policy estate check ESTATE [--format text|json|sarif] [--advisories FILE]
//
// Checks every verifier of an estate file (docs/estate.md): probes each one after another with the
// policy's test tokens, compares its deployed configuration with the policy where drift can read
// it, looks its JWT library up in the advisories, and prints one verdict per verifier and one
// matrix of verifiers x variant classes. An acceptance the verifier's gap report predicted is
// listed as explained; anything else that makes a verifier weak is unexplained.
// Exit 0 when every verifier conforms, 1 when any is weak, breaks valid traffic or is inconclusive,
// 2 on usage errors and on estate, policy, key, configuration or advisories file errors (nothing is
// probed then). The JSON document is estate::estateReportToJson (a contract, docs/estate.md).
#include "CliSupport.h"

#include "estate/Advisories.h"
#include "estate/Estate.h"
#include "estate/EstateCheck.h"
#include "estate/EstateReport.h"
#include "report/Sarif.h"
#include "util/Time.h"

#include <algorithm>

namespace jwb::cli {

namespace {

QCommandLineOption advisoriesOption()
{
    return {QStringLiteral("advisories"),
            QStringLiteral("JWT library advisories to use instead of the list built in (same format as "
                           "resources/advisories/jwt-libraries.json)."),
            QStringLiteral("FILE")};
}

Error usage(const QString& message)
{
    return Error{QStringLiteral("ERR_USAGE_ARGS"), message, {}};
}

QString cellMark(const QString& outcome)
{
    if (outcome == u"accepts_rejected")
        return QStringLiteral("A");
    if (outcome == u"rejects_accepted")
        return QStringLiteral("R");
    if (outcome == u"inconclusive")
        return QStringLiteral("?");
    if (outcome == u"conforms")
        return QStringLiteral(".");
    return QStringLiteral("-");
}

void printFinding(QTextStream& out, const QString& verifier, const estate::Finding& f)
{
    out << "  " << verifier << "  " << f.source << "  ";
    if (f.source == u"probe")
        out << f.variant << " (class " << f.variantClass << ", control " << f.control << ", " << f.fingerprint << ")";
    else if (f.source == u"drift")
        out << f.control << " at " << f.path;
    else
        out << f.id << " (" << f.control << ")";
    out << "\n      " << f.detail << '\n';
}

void printText(QTextStream& out, const estate::EstateReport& r)
{
    out << "estate " << (r.estateName.isEmpty() ? r.estatePath : r.estateName) << ": policy '" << r.policyName
        << "', advisories updated " << r.advisoriesUpdated << ", checked " << util::formatInstant(r.checkedAtUnixSeconds)
        << "\n\n";
    int nameWidth = 8;
    for (const auto& v : r.verifiers)
        nameWidth = std::max(nameWidth, static_cast<int>(v.name.size()));
    for (const auto& v : r.verifiers) {
        out << v.name.leftJustified(nameWidth) << "  " << v.kind.leftJustified(8) << "  "
            << estate::verdictName(v.verdict).leftJustified(20) << "  " << v.reasons.join(QStringLiteral("; ")) << '\n';
    }

    out << "\nmatrix (A accepts a token the policy rejects, R rejects one it accepts, ? inconclusive, . conforms, "
           "- not probed; * unexplained)\n";
    int classWidth = 5;
    for (const QString& c : r.matrix.classes)
        classWidth = std::max(classWidth, static_cast<int>(c.size()));
    out << QString().leftJustified(classWidth);
    for (const auto& row : r.matrix.rows)
        out << "  " << row.verifier;
    out << '\n';
    for (const QString& c : r.matrix.classes) {
        out << c.leftJustified(classWidth);
        for (const auto& row : r.matrix.rows) {
            const QString mark = cellMark(row.cells.value(c)) + (row.unexplainedClasses.contains(c) ? u'*' : u' ');
            out << "  " << mark.leftJustified(static_cast<int>(row.verifier.size()));
        }
        out << '\n';
    }

    bool header = false;
    for (const auto& v : r.verifiers) {
        for (const auto& f : v.unexplained) {
            if (!header)
                out << "\nunexplained findings:\n";
            header = true;
            printFinding(out, v.name, f);
        }
    }
    header = false;
    for (const auto& v : r.verifiers) {
        for (const QList<estate::Finding>* list : {&v.explained, &v.explainedRejections}) {
            for (const auto& f : *list) {
                if (!header)
                    out << "\nexplained by the gap report:\n";
                header = true;
                printFinding(out, v.name, f);
            }
        }
    }
    header = false;
    for (const auto& v : r.verifiers) {
        for (const auto& a : v.evidence.advisories) {
            if (!header)
                out << "\nadvisories (list updated " << r.advisoriesUpdated << "):\n";
            header = true;
            out << "  " << v.name << "  " << a.id << "  " << a.library << ' ' << (v.library ? v.library->version : QString())
                << "  fixed in " << (a.fixed.isEmpty() ? QStringLiteral("(none known)") : a.fixed) << "\n      "
                << a.summary << "\n      " << a.reference << '\n';
        }
    }
    QMap<estate::Verdict, int> counts;
    for (const auto& v : r.verifiers)
        ++counts[v.verdict];
    out << QStringLiteral("\n%1 verifier(s): %2 weak, %3 break valid traffic, %4 inconclusive, %5 conform%6\n")
               .arg(r.verifiers.size())
               .arg(counts.value(estate::Verdict::Weak))
               .arg(counts.value(estate::Verdict::BreaksValidTraffic))
               .arg(counts.value(estate::Verdict::Inconclusive))
               .arg(counts.value(estate::Verdict::Conforms))
               .arg(r.cancelled ? QStringLiteral(" (cancelled)") : QString());
    out.flush();
}

class EstateCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("estate"); }
    QString description() const override
    {
        return QStringLiteral("'estate check ESTATE': probe, drift-check and advisory-check every verifier of the chain.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addPositionalArgument(QStringLiteral("check"), QStringLiteral("The sub-verb (only 'check')."),
                                     QStringLiteral("check"));
        parser.addPositionalArgument(QStringLiteral("ESTATE"), QStringLiteral("The estate file (YAML or JSON)."));
        parser.addOption(formatOption(SarifSupport::Yes));
        parser.addOption(advisoriesOption());
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        const QStringList positional = parser.positionalArguments();
        if (positional.isEmpty() || positional.first() != u"check")
            return reportError(io, name(), usage(QStringLiteral("expected the sub-verb 'check' (jwt-policy estate check ESTATE)")));
        if (positional.size() != 2)
            return reportError(io, name(), usage(QStringLiteral("'estate check' takes exactly one estate file")));
        const auto format = outputFormat(parser, SarifSupport::Yes);
        if (!format)
            return reportError(io, name(), format.error());
        const auto advisories = parser.isSet(advisoriesOption()) ? estate::loadAdvisoriesFile(parser.value(advisoriesOption()))
                                                                 : estate::loadBundledAdvisories();
        if (!advisories)
            return reportError(io, name(), advisories.error());
        const auto loaded = estate::loadEstateFile(positional.at(1));
        if (!loaded)
            return reportError(io, name(), loaded.error());

        estate::EstateCheckOptions options;
        if (io.errIsTerminal) {
            options.onVerifier = [&io](const QString& verifier, int index, int total) {
                io.err << "checking " << verifier << " (" << index + 1 << '/' << total << ")\n";
                io.err.flush();
            };
        }
        const auto report = estate::checkEstate(loaded.value(), advisories.value(), options);
        if (!report)
            return reportError(io, name(), report.error());
        if (format.value() == OutputFormat::Json)
            printJson(io, estate::estateReportToJson(report.value()));
        else if (format.value() == OutputFormat::Sarif)
            printSarif(io, report::estateToSarif(loaded.value(), report.value(), sarifContext(loaded->policyPath)));
        else
            printText(io.out, report.value());
        return estate::estateExitCode(report.value()) == 0 ? ExitOk : ExitRejected;
    }
};

} // namespace

std::unique_ptr<Command> makeEstateCommand()
{
    return std::make_unique<EstateCommand>();
}

} // namespace jwb::cli
