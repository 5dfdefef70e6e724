// SPDX-License-Identifier: Apache-2.0
// jwt-policy drift --policy FILE (--envoy|--istio|--kong) CONFIG [--at TIME] [--format text|json|sarif]
//
// Compares a configuration already deployed with the policy and lists every point where it accepts
// what the policy rejects. Exit 1 on any loosening finding, 0 when there is none (findings that
// drift cannot judge are listed but do not fail), 2 on usage, policy or configuration errors.
//
// JSON (--format json):
//   {"target": "envoy"|"istio"|"kong", "config": PATH, "policy": NAME, "at": RFC3339,
//    "providers": N,
//    "findings": [{"kind", "issuer", "path", "message", "classification": "loosening"|"unverified"}],
//    "loosening": COUNT}
// Kinds: unknown_issuer, audience, clock_skew, require_expiration, max_lifetime, unpinned_key,
// jwks_host, algorithm, token_not_required, unreadable (see core/export/Drift.h).
#include "CliSupport.h"

#include "export/Drift.h"
#include "util/Time.h"

#include <QFile>
#include <QJsonArray>

namespace jwb::cli {

namespace {

constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024;

const QCommandLineOption kEnvoy(QStringLiteral("envoy"), QStringLiteral("Deployed Envoy configuration (YAML)."),
                                QStringLiteral("CONFIG"));
const QCommandLineOption kIstio(QStringLiteral("istio"), QStringLiteral("Deployed Istio resources (multi-document YAML)."),
                                QStringLiteral("CONFIG"));
const QCommandLineOption kKong(QStringLiteral("kong"), QStringLiteral("Deployed Kong declarative configuration."),
                               QStringLiteral("CONFIG"));

class DriftCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("drift"); }
    QString description() const override
    {
        return QStringLiteral("Find where a deployed Envoy, Istio or Kong configuration is looser than the policy.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(kEnvoy);
        parser.addOption(kIstio);
        parser.addOption(kKong);
        parser.addOption(formatOption(SarifSupport::Yes));
        parser.addOption(atOption());
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        if (const Status none = noPositionalArguments(parser); !none)
            return reportError(io, name(), none.error());
        QList<QPair<exporting::DriftSource, QString>> sources;
        if (parser.isSet(kEnvoy))
            sources.append({exporting::DriftSource::Envoy, parser.value(kEnvoy)});
        if (parser.isSet(kIstio))
            sources.append({exporting::DriftSource::Istio, parser.value(kIstio)});
        if (parser.isSet(kKong))
            sources.append({exporting::DriftSource::Kong, parser.value(kKong)});
        if (sources.size() != 1)
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_USAGE_ARGS"),
                                     QStringLiteral("give exactly one of --envoy, --istio or --kong CONFIG"), {}});
        const auto inputs = readVerbInputs(parser, SarifSupport::Yes);
        if (!inputs)
            return reportError(io, name(), inputs.error());
        const auto& [format, at, policy] = *inputs;
        const auto [source, path] = sources.first();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return reportError(io, name(), Error{QStringLiteral("ERR_INPUT_UNREADABLE"), file.errorString(), path});
        const QByteArray config = file.read(kMaxConfigBytes + 1);
        if (config.size() > kMaxConfigBytes)
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_INPUT_TOO_LARGE"), QStringLiteral("configuration file is too large"), path});
        const auto report = exporting::detectDrift(policy, source, config, path, at);
        if (!report)
            return reportError(io, name(), report.error());

        int loosening = 0;
        for (const auto& f : report->findings)
            loosening += f.classification == exporting::DriftClass::Loosening ? 1 : 0;
        if (format == OutputFormat::Sarif) {
            printSarif(io, report::driftToSarif(policy, *report, path, config, sarifContext(parser.value(policyOption()))));
        } else if (format == OutputFormat::Json) {
            QJsonArray list;
            for (const auto& f : report->findings)
                list.append(QJsonObject{{QStringLiteral("kind"), f.kind},
                                        {QStringLiteral("issuer"), f.issuer},
                                        {QStringLiteral("path"), f.path},
                                        {QStringLiteral("message"), f.message},
                                        {QStringLiteral("classification"), exporting::driftClassName(f.classification)}});
            printJson(io, QJsonObject{{QStringLiteral("target"), report->target},
                                      {QStringLiteral("config"), path},
                                      {QStringLiteral("policy"), policy.name},
                                      {QStringLiteral("at"), util::formatInstant(at)},
                                      {QStringLiteral("providers"), report->providers},
                                      {QStringLiteral("findings"), list},
                                      {QStringLiteral("loosening"), loosening}});
        } else {
            for (const auto& f : report->findings)
                io.out << exporting::driftClassName(f.classification) << "  " << f.kind << "  " << f.path << "\n    "
                       << f.message << '\n';
            io.out << QStringLiteral("%1: %2 provider(s) examined, %3 loosening finding(s), %4 other\n")
                          .arg(report->target)
                          .arg(report->providers)
                          .arg(loosening)
                          .arg(report->findings.size() - loosening);
            io.out.flush();
        }
        return loosening > 0 ? ExitRejected : ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeDriftCommand()
{
    return std::make_unique<DriftCommand>();
}

} // namespace jwb::cli
