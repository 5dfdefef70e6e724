// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "Command.h"

#include "policy/Policy.h"
#include "report/Sarif.h"
#include "verify/Trace.h"
#include "util/Error.h"

#include <QByteArray>
#include <QCommandLineOption>
#include <QJsonDocument>
#include <QJsonObject>
#include <optional>

namespace jwb::cli {

enum class OutputFormat { Text, Json, Sarif };
// Whether a verb writes SARIF 2.1.0 (core/report/Sarif.h) for --format sarif. Verbs that do not are
// left as they are: their --format refuses "sarif" with a usage error (exit 2).
enum class SarifSupport { No, Yes };

// Options used by several verbs, defined once.
QCommandLineOption policyOption();  // --policy FILE
QCommandLineOption formatOption(SarifSupport sarif = SarifSupport::No); // --format text|json[|sarif]
QCommandLineOption atOption();      // --at TIME (RFC 3339 or Unix seconds)

// ERR_USAGE_FORMAT for anything else, and for "sarif" unless the verb supports it.
Result<OutputFormat> outputFormat(const QCommandLineParser& parser, SarifSupport sarif = SarifSupport::No);
// The evaluation instant from --at, or the current time when absent.
Result<qint64> evaluationInstant(const QCommandLineParser& parser);
Result<policy::Policy> loadPolicyArg(const QCommandLineParser& parser);

// What most verbs read before their own work: --format, --at and the policy.
struct VerbInputs {
    OutputFormat format = OutputFormat::Text;
    qint64 at = 0; // the evaluation instant, Unix seconds
    policy::Policy policy;
};
// Reads them in the order every verb reports problems: --format, then --at, then the policy from
// --policy FILE. The first problem is returned, for reportError().
Result<VerbInputs> readVerbInputs(const QCommandLineParser& parser, SarifSupport sarif = SarifSupport::No);
// The same, for verbs that take the policy file as an argument instead of --policy.
Result<VerbInputs> readVerbInputs(const QCommandLineParser& parser, const QString& policyFile,
                                  SarifSupport sarif = SarifSupport::No);
// ERR_USAGE_ARGS when the verb, which takes none, was given positional arguments.
Status noPositionalArguments(const QCommandLineParser& parser);
// The single TOKEN positional, or standard input when it is "-" or absent. Surrounding whitespace
// (a trailing newline from echo) is trimmed; inner whitespace is left for the parser to reject.
Result<QByteArray> readTokenArg(const QCommandLineParser& parser, CliIo& io);

// The verb's --help text. QCommandLineParser names the running executable on its "Usage:" line (its
// full path when started by path); this names the verb as the user types it: "Usage: jwt-policy VERB".
QString verbHelpText(const QCommandLineParser& parser, const QString& verb);

// Prints "jwt-policy VERB: message" (with location) on stderr and returns ExitUsage.
int reportError(CliIo& io, const QString& verb, const Error& error);
void printJson(CliIo& io, const QJsonObject& object);
// Prints a SARIF run as the SARIF log (report::sarifToJson), for --format sarif.
void printSarif(CliIo& io, const report::SarifRun& run);
// What every SARIF builder needs from the command line: URIs relative to the current directory.
report::SarifContext sarifContext(const QString& policyFile);
// Prints a verification trace in the chosen format; returns ExitOk when accepted, ExitRejected otherwise.
int printTrace(CliIo& io, OutputFormat format, const verify::Trace& trace);

} // namespace jwb::cli
