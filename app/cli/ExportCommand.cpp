// SPDX-License-Identifier: Apache-2.0
// jwt-policy export --policy FILE --to TARGET [-o OUT] [--gaps] [profile flags]
//
// Writes the policy for one target (canonical-json, canonical-yaml, envoy, istio, kong, nginx, opa)
// to OUT or standard output. Files the export refers to (the NGINX key file) are written beside OUT.
// A policy holding test keys is refused (ERR_EXPORT_TEST_KEYS, exit 2) unless --include-test-keys asks
// for a staging export. --gaps adds the target's gap report (text, or JSON with --format json: the same shape as
// `jwt-policy gaps`), on standard output when -o is given, else on standard error so the export
// stays clean to pipe. Exit 0 written, 2 usage/policy/write error.
// --to service:LIB writes a verification function for a service using that JWT library (issue 21);
// --issuer ISS narrows any export to one issuer; -o DIR writes into a directory under the export's
// own file name (verify_token.py, JwtVerification.java, ...).
#include "CliSupport.h"

#include "export/Export.h"
#include "util/AtomicFile.h"
#include "util/Time.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace jwb::cli {

// Shared with GapsCommand.cpp (same verb family): the gap rows as JSON and as a text table.
QJsonArray gapsToJson(const QList<exporting::GapEntry>& gaps, const policy::Policy& policy);
QString gapsToText(const QList<exporting::GapEntry>& gaps, const policy::Policy& policy);
QJsonObject gapCountsToJson(const exporting::GapCounts& counts);

namespace {

QCommandLineOption opt(const QString& name, const QString& help, const QString& value = QStringLiteral("VALUE"))
{
    return {name, help, value};
}

QString targetList()
{
    QStringList names;
    for (auto t : exporting::allTargets())
        names << exporting::targetName(t);
    return names.join(QStringLiteral(", "));
}

const QCommandLineOption kTo = opt(QStringLiteral("to"), QStringLiteral("Target: %1.").arg(targetList()),
                                   QStringLiteral("TARGET"));
const QCommandLineOption kOut({QStringLiteral("o"), QStringLiteral("output")},
                              QStringLiteral("Write to OUT (atomically) instead of standard output. An existing "
                                             "directory (or OUT ending in '/') receives the export under its own "
                                             "file name, with any key files beside it."),
                              QStringLiteral("OUT"));
const QCommandLineOption kIssuer(QStringLiteral("issuer"),
                                 QStringLiteral("Export only this issuer of the policy (and its exceptions)."),
                                 QStringLiteral("ISS"));
const QCommandLineOption kGaps(QStringLiteral("gaps"), QStringLiteral("Also print the target's enforcement-gap report."));
const QCommandLineOption kIncludeTestKeys(
    QStringLiteral("include-test-keys"),
    QStringLiteral("A staging export: let the policy's test keys (keys.test_jwks) in. Without it, a policy holding "
                   "test keys is refused."));
const QCommandLineOption kNamespace = opt(QStringLiteral("namespace"), QStringLiteral("Kubernetes namespace (Istio)."), QStringLiteral("NS"));
const QCommandLineOption kSelector = opt(QStringLiteral("selector"),
                                         QStringLiteral("Workload selector label (Istio), repeatable."),
                                         QStringLiteral("KEY=VALUE"));
const QCommandLineOption kName = opt(QStringLiteral("name"), QStringLiteral("Resource name base (default: the policy name)."), QStringLiteral("NAME"));
const QCommandLineOption kCluster = opt(QStringLiteral("cluster"), QStringLiteral("Envoy cluster for remote JWKS hosts."), QStringLiteral("CLUSTER"));
const QCommandLineOption kService = opt(QStringLiteral("service"), QStringLiteral("Kong service name."), QStringLiteral("NAME"));
const QCommandLineOption kServiceUrl = opt(QStringLiteral("service-url"), QStringLiteral("Kong service upstream URL."), QStringLiteral("URL"));
const QCommandLineOption kRoute = opt(QStringLiteral("route"), QStringLiteral("Route prefix / location (default /)."), QStringLiteral("PREFIX"));
const QCommandLineOption kTimeout = opt(QStringLiteral("jwks-timeout"), QStringLiteral("Remote JWKS fetch timeout in seconds."), QStringLiteral("SECONDS"));
const QCommandLineOption kHeader = opt(QStringLiteral("header"), QStringLiteral("Token header name (default Authorization)."), QStringLiteral("NAME"));
const QCommandLineOption kHeaderPrefix = opt(QStringLiteral("header-prefix"), QStringLiteral("Token prefix in the header (default \"Bearer \")."), QStringLiteral("PREFIX"));
const QCommandLineOption kKeyDir = opt(QStringLiteral("nginx-key-dir"), QStringLiteral("Directory of the NGINX key file."), QStringLiteral("DIR"));
const QCommandLineOption kPackage = opt(QStringLiteral("opa-package"), QStringLiteral("Rego package name."), QStringLiteral("PKG"));
const QCommandLineOption kHaproxyKeyDir = opt(QStringLiteral("haproxy-key-dir"),
                                              QStringLiteral("Directory the HAProxy PEM key files are deployed to."),
                                              QStringLiteral("DIR"));
const QCommandLineOption kApacheKeyDir = opt(QStringLiteral("apache-key-dir"),
                                             QStringLiteral("Directory the Apache PEM key files are deployed to."),
                                             QStringLiteral("DIR"));

Result<exporting::ExportProfile> profileFrom(const QCommandLineParser& parser, qint64 at)
{
    exporting::ExportProfile p;
    p.atUnixSeconds = at;
    auto set = [&parser](const QCommandLineOption& o, QString& field) {
        if (parser.isSet(o))
            field = parser.value(o);
    };
    set(kNamespace, p.ns);
    set(kName, p.name);
    set(kCluster, p.cluster);
    set(kService, p.service);
    set(kServiceUrl, p.serviceUrl);
    set(kRoute, p.routePrefix);
    set(kHeader, p.headerName);
    set(kHeaderPrefix, p.headerPrefix);
    set(kKeyDir, p.nginxKeyDir);
    set(kPackage, p.opaPackage);
    set(kHaproxyKeyDir, p.haproxyKeyDir);
    set(kApacheKeyDir, p.apacheKeyDir);
    p.includeTestKeys = parser.isSet(kIncludeTestKeys);
    set(kIssuer, p.issuer);
    for (const QString& sel : parser.values(kSelector)) {
        const qsizetype eq = sel.indexOf(u'=');
        if (eq <= 0)
            return Error{QStringLiteral("ERR_USAGE_SELECTOR"),
                         QStringLiteral("--selector must be KEY=VALUE, not '%1'").arg(sel), {}};
        p.selector.insert(sel.left(eq), sel.mid(eq + 1));
    }
    if (parser.isSet(kTimeout)) {
        bool ok = false;
        p.jwksTimeoutSeconds = parser.value(kTimeout).toInt(&ok);
        if (!ok || p.jwksTimeoutSeconds <= 0 || p.jwksTimeoutSeconds > 300)
            return Error{QStringLiteral("ERR_USAGE_TIMEOUT"),
                         QStringLiteral("--jwks-timeout must be 1..300 seconds"), {}};
    }
    if (p.headerName.isEmpty() || p.ns.isEmpty() || p.cluster.isEmpty() || p.service.isEmpty()
        || !p.routePrefix.startsWith(u'/'))
        return Error{QStringLiteral("ERR_USAGE_PROFILE"),
                     QStringLiteral("profile values must be non-empty and --route must start with '/'"), {}};
    return p;
}

Status writeFile(const QString& path, const QByteArray& data)
{
    return util::writeFileAtomically(path, data, QStringLiteral("ERR_OUTPUT_WRITE"));
}

class ExportCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("export"); }
    QString description() const override
    {
        return QStringLiteral("Export the policy for a gateway (Envoy, Istio, Kong, NGINX, OPA) or canonically.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(kTo);
        parser.addOption(kOut);
        parser.addOption(kGaps);
        parser.addOption(kIncludeTestKeys);
        parser.addOption(kIssuer);
        parser.addOption(formatOption());
        parser.addOption(atOption());
        for (const auto& o : {kNamespace, kSelector, kName, kCluster, kService, kServiceUrl, kRoute, kTimeout, kHeader,
                              kHeaderPrefix, kKeyDir, kPackage, kHaproxyKeyDir, kApacheKeyDir})
            parser.addOption(o);
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        if (const Status none = noPositionalArguments(parser); !none)
            return reportError(io, name(), none.error());
        if (!parser.isSet(kTo))
            return reportError(io, name(), Error{QStringLiteral("ERR_USAGE_TARGET"), QStringLiteral("--to TARGET is required"), {}});
        const auto target = exporting::targetFromName(parser.value(kTo));
        if (!target)
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_USAGE_TARGET"),
                                     QStringLiteral("unknown target '%1' (%2)").arg(parser.value(kTo), targetList()),
                                     {}});
        const auto format = outputFormat(parser);
        if (!format)
            return reportError(io, name(), format.error());
        const auto at = evaluationInstant(parser);
        if (!at)
            return reportError(io, name(), at.error());
        const auto profile = profileFrom(parser, *at);
        if (!profile)
            return reportError(io, name(), profile.error());
        const auto policy = loadPolicyArg(parser);
        if (!policy)
            return reportError(io, name(), policy.error());
        const auto result = exporting::exportPolicy(*policy, *target, *profile);
        if (!result)
            return reportError(io, name(), result.error());

        if (profile->includeTestKeys) {
            if (const auto testKeys = exporting::testKeysIn(*policy); !testKeys.isEmpty())
                io.err << "jwt-policy export: STAGING export, it carries test keys (never deploy it to production): "
                       << exporting::describeTestKeys(testKeys) << "\n";
        }
        const bool toFile = parser.isSet(kOut);
        if (toFile) {
            QString out = parser.value(kOut);
            if (QFileInfo(out).isDir() || out.endsWith(u'/')) {
                // A directory: the export takes the name its target needs (a Java class, a Go file).
                if (!QDir().mkpath(out))
                    return reportError(io, name(),
                                       Error{QStringLiteral("ERR_OUTPUT_WRITE"),
                                             QStringLiteral("cannot create directory '%1'").arg(out), out});
                out = QDir(out).filePath(result->fileName.isEmpty()
                                             ? QStringLiteral("%1.%2").arg(policy->name.isEmpty() ? QStringLiteral("policy")
                                                                                                  : policy->name,
                                                                           exporting::targetFileSuffix(*target))
                                             : result->fileName);
            }
            if (auto s = writeFile(out, result->text); !s)
                return reportError(io, name(), s.error());
            const QDir dir = QFileInfo(out).absoluteDir();
            for (auto it = result->extraFiles.cbegin(); it != result->extraFiles.cend(); ++it) {
                if (auto s = writeFile(dir.filePath(it.key()), it.value()); !s)
                    return reportError(io, name(), s.error());
            }
        } else {
            io.out << QString::fromUtf8(result->text);
            io.out.flush();
            for (auto it = result->extraFiles.cbegin(); it != result->extraFiles.cend(); ++it)
                io.err << "jwt-policy export: the export refers to " << it.key()
                       << ", which is written only with -o OUT (beside OUT)\n";
        }
        if (parser.isSet(kGaps)) {
            QTextStream& stream = toFile ? io.out : io.err;
            if (*format == OutputFormat::Json) {
                const QJsonObject obj{{QStringLiteral("target"), exporting::targetName(*target)},
                                      {QStringLiteral("gaps"), gapsToJson(result->gaps, *policy)},
                                      {QStringLiteral("summary"), gapCountsToJson(exporting::countGaps(result->gaps))}};
                stream << QString::fromUtf8(QJsonDocument(obj).toJson(QJsonDocument::Indented));
            } else if (result->gaps.isEmpty()) {
                stream << "No gaps: the canonical export is the policy itself.\n";
            } else {
                stream << gapsToText(result->gaps, *policy);
            }
            stream.flush();
        }
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeExportCommand()
{
    return std::make_unique<ExportCommand>();
}

} // namespace jwb::cli
