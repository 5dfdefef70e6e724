// SPDX-License-Identifier: Apache-2.0
// jwt-policy lint FILE: the policy's weaknesses, each with its rule id, severity, reference and line.

#include "CliSupport.h"

#include "lint/Lint.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QJsonArray>

namespace jwb::cli {

namespace {

class LintCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("lint"); }
    QString description() const override
    {
        return QStringLiteral("Review a policy file: weaknesses with severity, reference and line.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(formatOption(SarifSupport::Yes));
        parser.addOption(atOption());
        parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Policy file (YAML or JSON, format v1)."));
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        const QStringList files = parser.positionalArguments();
        if (files.size() != 1)
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_USAGE_ARGS"),
                                     QStringLiteral("expected one policy FILE, got %1 arguments").arg(files.size()),
                                     {}});
        const Result<VerbInputs> inputs = readVerbInputs(parser, files.first(), SarifSupport::Yes);
        if (!inputs)
            return reportError(io, name(), inputs.error());
        const auto& [format, at, policy] = *inputs;

        const QList<lint::Finding> findings = lint::lintPolicy(policy, at);
        int counts[3] = {0, 0, 0};
        for (const lint::Finding& f : findings)
            ++counts[static_cast<int>(f.severity)];

        if (format == OutputFormat::Sarif)
            printSarif(io, report::lintToSarif(policy, findings, sarifContext(files.first())));
        else if (format == OutputFormat::Json)
            printJson(io, toJson(policy, files.first(), at, findings, counts));
        else
            printText(io, files.first(), findings, counts);
        return counts[static_cast<int>(lint::Severity::Error)] > 0 ? ExitRejected : ExitOk;
    }

private:
    static QJsonObject toJson(const policy::Policy& policy, const QString& file, qint64 at,
                              const QList<lint::Finding>& findings, const int (&counts)[3])
    {
        QJsonArray list;
        for (const lint::Finding& f : findings) {
            list.append(QJsonObject{
                {QStringLiteral("rule"), f.ruleId},
                {QStringLiteral("severity"), lint::severityName(f.severity)},
                {QStringLiteral("message"), f.message},
                {QStringLiteral("reference"), f.reference},
                {QStringLiteral("path"), f.path},
                {QStringLiteral("issuer"), f.issuer},
                {QStringLiteral("line"), f.line > 0 ? QJsonValue(f.line) : QJsonValue(QJsonValue::Null)},
            });
        }
        return QJsonObject{
            {QStringLiteral("policy"), policy.name},
            {QStringLiteral("file"), file},
            {QStringLiteral("at"), util::formatInstant(at)},
            {QStringLiteral("findings"), list},
            {QStringLiteral("counts"),
             QJsonObject{{QStringLiteral("error"), counts[static_cast<int>(lint::Severity::Error)]},
                         {QStringLiteral("warning"), counts[static_cast<int>(lint::Severity::Warning)]},
                         {QStringLiteral("info"), counts[static_cast<int>(lint::Severity::Info)]}}},
        };
    }

    static void printText(CliIo& io, const QString& file, const QList<lint::Finding>& findings,
                          const int (&counts)[3])
    {
        for (const lint::Finding& f : findings) {
            io.out << file;
            if (f.line > 0)
                io.out << ':' << f.line;
            io.out << ": " << lint::severityName(f.severity) << " [" << f.ruleId << "] " << f.message << " ("
                   << f.reference << ")\n";
        }
        io.out << file << ": " << counts[static_cast<int>(lint::Severity::Error)] << " error(s), "
               << counts[static_cast<int>(lint::Severity::Warning)] << " warning(s), "
               << counts[static_cast<int>(lint::Severity::Info)] << " info\n";
    }
};

} // namespace

std::unique_ptr<Command> makeLintCommand()
{
    return std::make_unique<LintCommand>();
}

} // namespace jwb::cli
