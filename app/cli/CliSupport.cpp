// SPDX-License-Identifier: Apache-2.0
#include "CliSupport.h"

#include "policy/PolicyIO.h"
#include "util/Time.h"
#include "util/BoundedRead.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>

namespace jwb::cli {

namespace {

constexpr qsizetype kMaxTokenInputBytes = 64 * 1024 * 1024; // far above any policy bound; the core reports size

template <typename LoadPolicy>
Result<VerbInputs> readInputs(const QCommandLineParser& parser, SarifSupport sarif, LoadPolicy loadPolicy)
{
    const Result<OutputFormat> format = outputFormat(parser, sarif);
    if (!format)
        return format.error();
    const Result<qint64> at = evaluationInstant(parser);
    if (!at)
        return at.error();
    Result<policy::Policy> loaded = loadPolicy();
    if (!loaded)
        return loaded.error();
    return VerbInputs{*format, *at, std::move(loaded).value()};
}

} // namespace

QCommandLineOption policyOption()
{
    return {QStringLiteral("policy"), QStringLiteral("Policy file (YAML or JSON, format v1)."), QStringLiteral("FILE")};
}

QCommandLineOption formatOption(SarifSupport sarif)
{
    if (sarif == SarifSupport::Yes)
        return {QStringLiteral("format"),
                QStringLiteral("Output format: text (default), json, or sarif (SARIF 2.1.0 for code scanning)."),
                QStringLiteral("text|json|sarif"), QStringLiteral("text")};
    return {QStringLiteral("format"), QStringLiteral("Output format: text (default) or json."),
            QStringLiteral("text|json"), QStringLiteral("text")};
}

QCommandLineOption atOption()
{
    return {QStringLiteral("at"),
            QStringLiteral("Evaluation instant: RFC 3339 (2026-11-01T10:00:00Z) or Unix seconds. Default: now."),
            QStringLiteral("TIME")};
}

Result<OutputFormat> outputFormat(const QCommandLineParser& parser, SarifSupport sarif)
{
    const QString value = parser.value(formatOption());
    if (value == u"text")
        return OutputFormat::Text;
    if (value == u"json")
        return OutputFormat::Json;
    if (value == u"sarif" && sarif == SarifSupport::Yes)
        return OutputFormat::Sarif;
    if (value == u"sarif")
        return Error{QStringLiteral("ERR_USAGE_FORMAT"),
                     QStringLiteral("--format sarif is not available for this verb (it is for lint, gaps, drift, "
                                    "selftest and probe); use 'text' or 'json'"),
                     {}};
    if (sarif == SarifSupport::Yes)
        return Error{QStringLiteral("ERR_USAGE_FORMAT"),
                     QStringLiteral("--format must be 'text', 'json' or 'sarif', not '%1'").arg(value), {}};
    return Error{QStringLiteral("ERR_USAGE_FORMAT"),
                 QStringLiteral("--format must be 'text' or 'json', not '%1'").arg(value), {}};
}

Result<qint64> evaluationInstant(const QCommandLineParser& parser)
{
    if (!parser.isSet(atOption()))
        return QDateTime::currentSecsSinceEpoch();
    return util::parseInstant(parser.value(atOption()));
}

Result<policy::Policy> loadPolicyArg(const QCommandLineParser& parser)
{
    if (!parser.isSet(policyOption()))
        return Error{QStringLiteral("ERR_USAGE_POLICY"), QStringLiteral("--policy FILE is required"), {}};
    return policy::loadPolicyFile(parser.value(policyOption()));
}

Result<VerbInputs> readVerbInputs(const QCommandLineParser& parser, SarifSupport sarif)
{
    return readInputs(parser, sarif, [&parser] { return loadPolicyArg(parser); });
}

Result<VerbInputs> readVerbInputs(const QCommandLineParser& parser, const QString& policyFile, SarifSupport sarif)
{
    return readInputs(parser, sarif, [&policyFile] { return policy::loadPolicyFile(policyFile); });
}

Result<QByteArray> readTokenArg(const QCommandLineParser& parser, CliIo& io)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return Error{QStringLiteral("ERR_USAGE_ARGS"),
                     QStringLiteral("expected one TOKEN (or '-' for standard input), got %1 arguments")
                         .arg(positional.size()),
                     {}};
    QByteArray data;
    if (positional.isEmpty() || positional.first() == u"-") {
        data = jwb::util::readAtMost(io.in, kMaxTokenInputBytes);
        if (data.size() > kMaxTokenInputBytes)
            return Error{QStringLiteral("ERR_INPUT_TOO_LARGE"),
                         QStringLiteral("standard input holds more than %1 bytes").arg(kMaxTokenInputBytes),
                         QStringLiteral("<stdin>")};
    } else {
        const QString arg = positional.first();
        // A token never contains '/', so an argument with one, or naming an existing file, is a file.
        if (QFile::exists(arg)) {
            QFile file(arg);
            if (!file.open(QIODevice::ReadOnly))
                return Error{QStringLiteral("ERR_INPUT_UNREADABLE"), file.errorString(), arg};
            // A regular file's size is known: refuse before reading any of it (pipes report 0 and
            // are bounded by the read below).
            if (file.size() > kMaxTokenInputBytes)
                return Error{QStringLiteral("ERR_INPUT_TOO_LARGE"), QStringLiteral("file is too large"), arg};
            data = jwb::util::readAtMost(file, kMaxTokenInputBytes);
            if (data.size() > kMaxTokenInputBytes)
                return Error{QStringLiteral("ERR_INPUT_TOO_LARGE"), QStringLiteral("file is too large"), arg};
        } else {
            data = arg.toUtf8();
        }
    }
    // Trim only the ends (echo's newline); whitespace inside a segment stays for the parser to reject.
    return data.trimmed();
}

Status noPositionalArguments(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty())
        return Error{QStringLiteral("ERR_USAGE_ARGS"), QStringLiteral("unexpected arguments"), {}};
    return Ok{};
}

QString verbHelpText(const QCommandLineParser& parser, const QString& verb)
{
    QString text = parser.helpText();
    const QString usage = QStringLiteral("Usage: ");
    if (!text.startsWith(usage))
        return text;
    // Qt writes "Usage: " + argv[0] + " [options] ...": replace argv[0], whatever its spelling.
    const QString program = QCoreApplication::instance() ? QCoreApplication::arguments().value(0) : QString();
    qsizetype end = usage.size() + program.size();
    if (program.isEmpty() || !QStringView(text).mid(usage.size()).startsWith(program)) {
        end = text.indexOf(u' ', usage.size());
        if (end < 0)
            return text;
    }
    text.replace(usage.size(), end - usage.size(), QStringLiteral("jwt-policy ") + verb);
    return text;
}

int reportError(CliIo& io, const QString& verb, const Error& error)
{
    io.err << "jwt-policy " << verb << ": " << error.toString() << " [" << error.code << "]\n";
    io.err.flush();
    return ExitUsage;
}

void printJson(CliIo& io, const QJsonObject& object)
{
    io.out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    io.out.flush();
}

void printSarif(CliIo& io, const report::SarifRun& run)
{
    printJson(io, report::sarifToJson(run));
}

report::SarifContext sarifContext(const QString& policyFile)
{
    return {QDir::currentPath(), policyFile};
}

int printTrace(CliIo& io, OutputFormat format, const verify::Trace& trace)
{
    if (format == OutputFormat::Json)
        printJson(io, trace.toJson());
    else
        io.out << trace.toText();
    return trace.accepted ? ExitOk : ExitRejected;
}

} // namespace jwb::cli
