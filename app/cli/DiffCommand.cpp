// SPDX-License-Identifier: Apache-2.0
// jwt-policy diff OLD NEW: what a policy change means for tokens, classified as tightening,
// loosening or neutral. Exit 1 when anything loosens, so a pipeline can demand a second review.

#include "CliSupport.h"

#include "policy/PolicyDiff.h"
#include "policy/PolicyIO.h"

#include <QJsonArray>

namespace jwb::cli {

namespace {

class DiffCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("diff"); }
    QString description() const override
    {
        return QStringLiteral("Compare two policy revisions: each change as tightening, loosening or neutral.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(formatOption());
        parser.addPositionalArgument(QStringLiteral("OLD"), QStringLiteral("The policy before the change."));
        parser.addPositionalArgument(QStringLiteral("NEW"), QStringLiteral("The policy after the change."));
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        const QStringList files = parser.positionalArguments();
        if (files.size() != 2)
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_USAGE_ARGS"),
                                     QStringLiteral("expected OLD and NEW policy files, got %1 arguments")
                                         .arg(files.size()),
                                     {}});
        const Result<OutputFormat> format = outputFormat(parser);
        if (!format)
            return reportError(io, name(), format.error());
        const Result<policy::Policy> oldPolicy = policy::loadPolicyFile(files.at(0));
        if (!oldPolicy)
            return reportError(io, name(), oldPolicy.error());
        const Result<policy::Policy> newPolicy = policy::loadPolicyFile(files.at(1));
        if (!newPolicy)
            return reportError(io, name(), newPolicy.error());

        const QList<policy::Change> changes = policy::diffPolicies(*oldPolicy, *newPolicy);
        int counts[3] = {0, 0, 0};
        for (const policy::Change& c : changes)
            ++counts[static_cast<int>(c.classification)];

        if (*format == OutputFormat::Json)
            printJson(io, toJson(changes, counts));
        else
            printText(io, changes, counts);
        return counts[static_cast<int>(policy::ChangeClass::Loosening)] > 0 ? ExitRejected : ExitOk;
    }

private:
    static QJsonObject toJson(const QList<policy::Change>& changes, const int (&counts)[3])
    {
        QJsonArray list;
        for (const policy::Change& c : changes) {
            list.append(QJsonObject{
                {QStringLiteral("kind"), c.kind},
                {QStringLiteral("classification"), policy::changeClassName(c.classification)},
                {QStringLiteral("issuer"), c.issuer},
                {QStringLiteral("path"), c.path},
                {QStringLiteral("message"), c.message},
            });
        }
        QJsonObject countsObject;
        for (const policy::ChangeClass c :
             {policy::ChangeClass::Tightening, policy::ChangeClass::Loosening, policy::ChangeClass::Neutral})
            countsObject.insert(policy::changeClassName(c), counts[static_cast<int>(c)]);
        return QJsonObject{{QStringLiteral("changes"), list}, {QStringLiteral("counts"), countsObject}};
    }

    static void printText(CliIo& io, const QList<policy::Change>& changes, const int (&counts)[3])
    {
        for (const policy::Change& c : changes) {
            io.out << QStringLiteral("%1 [%2] %3").arg(policy::changeClassName(c.classification), -10).arg(c.kind, c.message);
            if (!c.path.isEmpty())
                io.out << " (" << c.path << ')';
            io.out << '\n';
        }
        if (changes.isEmpty())
            io.out << "no semantic change\n";
        else
            io.out << changes.size() << " change(s): "
                   << counts[static_cast<int>(policy::ChangeClass::Tightening)] << " tightening, "
                   << counts[static_cast<int>(policy::ChangeClass::Loosening)] << " loosening, "
                   << counts[static_cast<int>(policy::ChangeClass::Neutral)] << " neutral\n";
    }
};

} // namespace

std::unique_ptr<Command> makeDiffCommand()
{
    return std::make_unique<DiffCommand>();
}

} // namespace jwb::cli
