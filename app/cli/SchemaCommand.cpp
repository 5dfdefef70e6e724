// SPDX-License-Identifier: Apache-2.0
// jwt-policy schema: prints the JSON Schema (2020-12) of policy format v1, as embedded in the build,
// so other tools validate policy files against exactly what this binary loads.
#include "CliSupport.h"

#include "policy/CoreResources.h"

#include <QFile>

namespace jwb::cli {

namespace {

const QCommandLineOption kEstate(QStringLiteral("estate"),
                                 QStringLiteral("Print the schema of the estate file format v1 instead (jwt-policy estate check)."));

class SchemaCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("schema"); }
    QString description() const override { return QStringLiteral("Print the JSON Schema of the policy file format v1."); }

    void defineOptions(QCommandLineParser& parser) const override { parser.addOption(kEstate); }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        if (!parser.positionalArguments().isEmpty())
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_USAGE_ARGUMENT"),
                                     QStringLiteral("takes no arguments (got '%1')").arg(parser.positionalArguments().first()),
                                     {}});
        ensureCoreResources();
        const bool estate = parser.isSet(kEstate);
        QFile schema(estate ? QStringLiteral(":/schema/jwt-estate-v1.schema.json")
                            : QStringLiteral(":/schema/jwt-policy-v1.schema.json"));
        if (!schema.open(QIODevice::ReadOnly))
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_SCHEMA_MISSING"),
                                     estate ? QStringLiteral("the estate schema is missing from this build")
                                            : QStringLiteral("the policy schema is missing from this build"),
                                     {}});
        io.out << QString::fromUtf8(schema.readAll());
        io.out.flush();
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeSchemaCommand()
{
    return std::make_unique<SchemaCommand>();
}

} // namespace jwb::cli
