// SPDX-License-Identifier: Apache-2.0
// jwt-policy probe --policy FILE --url URL [--issuer ISS] [--audience AUD] [--signing-key FILE]
//   [--header NAME] [--prefix "Bearer "] [--accept-status 200-299] [--reject-status 401,403]
//   [--ca FILE] [--rate N] [--max-requests N] [--timeout S] [--margin S] [--format text|json|sarif]
// Sends the policy's own test tokens to a live staging verifier and compares its answers with the
// core's verdicts (issue 23). Exit 0 all conform, 1 any disagreement, 2 usage, input or connection
// errors (among them: no request got an answer).
#include "CliSupport.h"

#include "probe/Probe.h"
#include "util/BoundedRead.h"

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>

namespace jwb::cli {

namespace {

constexpr qint64 kMaxKeyFileBytes = 1024 * 1024;

const QCommandLineOption kUrl(QStringLiteral("url"),
                              QStringLiteral("The verifier to probe: YOUR OWN staging gateway or service endpoint "
                                             "(http or https). The probe sends attack tokens; never point it at a "
                                             "system you do not own or run."),
                              QStringLiteral("URL"));
const QCommandLineOption kIssuer(QStringLiteral("issuer"), QStringLiteral("Issuer to probe (default: the policy's first)."),
                                 QStringLiteral("ISS"));
const QCommandLineOption kAudience(QStringLiteral("audience"),
                                   QStringLiteral("Audience of the valid tokens (default: one valid token per audience)."),
                                   QStringLiteral("AUD"));
const QCommandLineOption kSigningKey(QStringLiteral("signing-key"),
                                     QStringLiteral("PEM private key whose public part the policy pins for the issuer "
                                                    "(keys.test_jwks of a staging policy). Without it only the attacks "
                                                    "that need no trusted signature are sent."),
                                     QStringLiteral("FILE"));
const QCommandLineOption kHeader(QStringLiteral("header"), QStringLiteral("Request header carrying the token (default Authorization)."),
                                 QStringLiteral("NAME"), QStringLiteral("Authorization"));
const QCommandLineOption kPrefix(QStringLiteral("prefix"), QStringLiteral("Text before the token in the header (default \"Bearer \")."),
                                 QStringLiteral("TEXT"), QStringLiteral("Bearer "));
const QCommandLineOption kAccept(QStringLiteral("accept-status"),
                                 QStringLiteral("HTTP statuses meaning accepted (default 200-299)."), QStringLiteral("LIST"),
                                 QStringLiteral("200-299"));
const QCommandLineOption kReject(QStringLiteral("reject-status"),
                                 QStringLiteral("HTTP statuses meaning rejected (default 401,403)."), QStringLiteral("LIST"),
                                 QStringLiteral("401,403"));
const QCommandLineOption kCa(QStringLiteral("ca"), QStringLiteral("PEM CA certificates trusted besides the system's (TLS is always verified)."),
                             QStringLiteral("FILE"));
const QCommandLineOption kRate(QStringLiteral("rate"), QStringLiteral("Requests per second, 0.1..100 (default 10)."),
                               QStringLiteral("N"), QStringLiteral("10"));
const QCommandLineOption kMaxRequests(QStringLiteral("max-requests"),
                                      QStringLiteral("At most this many requests, 1..10000 (default 500); tokens beyond it "
                                                     "are reported inconclusive."),
                                      QStringLiteral("N"), QStringLiteral("500"));
const QCommandLineOption kTimeout(QStringLiteral("timeout"), QStringLiteral("Seconds per request, 1..300 (default 5)."),
                                  QStringLiteral("S"), QStringLiteral("5"));
const QCommandLineOption kMargin(QStringLiteral("margin"),
                                 QStringLiteral("Seconds every time boundary keeps from its edge, 1..300 (default 5): it "
                                                "must cover the verifier's clock offset and the time until a token is sent."),
                                 QStringLiteral("S"), QStringLiteral("5"));

Error usage(const char* code, const QString& message)
{
    return Error{QString::fromLatin1(code), message, {}};
}

template <typename T>
Result<T> number(const QCommandLineParser& parser, const QCommandLineOption& option, T low, T high, const char* code)
{
    const QString text = parser.value(option);
    bool ok = false;
    const T value = std::is_floating_point_v<T> ? static_cast<T>(text.toDouble(&ok)) : static_cast<T>(text.toInt(&ok));
    if (!ok || !(value >= low && value <= high))
        return usage(code, QStringLiteral("--%1 must be a number from %2 to %3 (got '%4')")
                               .arg(option.names().constFirst())
                               .arg(low)
                               .arg(high)
                               .arg(text));
    return value;
}

Result<probe::ProbeTarget> readTarget(const QCommandLineParser& parser)
{
    probe::ProbeTarget t;
    if (!parser.isSet(kUrl))
        return usage("ERR_USAGE_URL", QStringLiteral("--url URL is required: the staging verifier to probe"));
    t.url = QUrl(parser.value(kUrl), QUrl::StrictMode);
    if (!t.url.isValid() || (t.url.scheme() != u"http" && t.url.scheme() != u"https") || t.url.host().isEmpty())
        return usage("ERR_USAGE_URL", QStringLiteral("--url must be an http or https URL with a host (got '%1')")
                                          .arg(parser.value(kUrl)));
    t.headerName = parser.value(kHeader);
    static const QRegularExpression token(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"));
    if (!token.match(t.headerName).hasMatch())
        return usage("ERR_USAGE_HEADER", QStringLiteral("--header must be an HTTP header name (got '%1')").arg(t.headerName));
    t.prefix = parser.value(kPrefix);
    if (t.prefix.contains(u'\r') || t.prefix.contains(u'\n'))
        return usage("ERR_USAGE_HEADER", QStringLiteral("--prefix must not contain line breaks"));
    const auto accept = probe::StatusRanges::parse(parser.value(kAccept));
    if (!accept)
        return Error{accept.error().code, QStringLiteral("--accept-status: ") + accept.error().message, {}};
    const auto reject = probe::StatusRanges::parse(parser.value(kReject));
    if (!reject)
        return Error{reject.error().code, QStringLiteral("--reject-status: ") + reject.error().message, {}};
    for (int status = 100; status <= 599; ++status) {
        if (accept->contains(status) && reject->contains(status))
            return usage("ERR_PROBE_STATUS_RANGE",
                         QStringLiteral("status %1 is in both --accept-status and --reject-status").arg(status));
    }
    t.accept = *accept;
    t.reject = *reject;
    if (parser.isSet(kCa)) {
        t.caFile = parser.value(kCa);
        QFile ca(t.caFile);
        if (!ca.open(QIODevice::ReadOnly))
            return usage("ERR_USAGE_CA", QStringLiteral("cannot read --ca %1: %2").arg(t.caFile, ca.errorString()));
    }
    const auto rate = number<double>(parser, kRate, 0.1, 100.0, "ERR_USAGE_RATE");
    if (!rate)
        return rate.error();
    t.ratePerSecond = *rate;
    const auto max = number<int>(parser, kMaxRequests, 1, 10000, "ERR_USAGE_MAX_REQUESTS");
    if (!max)
        return max.error();
    t.maxRequests = *max;
    const auto timeout = number<int>(parser, kTimeout, 1, 300, "ERR_USAGE_TIMEOUT");
    if (!timeout)
        return timeout.error();
    t.timeoutSeconds = *timeout;
    return t;
}

Result<std::optional<crypto::SigningKey>> readSigningKey(const QCommandLineParser& parser)
{
    if (!parser.isSet(kSigningKey))
        return std::optional<crypto::SigningKey>();
    const QString path = parser.value(kSigningKey);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("ERR_PROBE_KEY_FILE"), QStringLiteral("cannot read the signing key: %1").arg(file.errorString()), path};
    const QByteArray pem = jwb::util::readAtMost(file, kMaxKeyFileBytes);
    if (pem.size() > kMaxKeyFileBytes)
        return Error{QStringLiteral("ERR_PROBE_KEY_FILE"), QStringLiteral("the signing key file is larger than 1 MiB"), path};
    auto key = crypto::SigningKey::fromPrivatePem(pem, {});
    if (!key)
        return Error{QStringLiteral("ERR_PROBE_KEY_FILE"),
                     QStringLiteral("not a PEM private key: %1 [%2]").arg(key.error().message, key.error().code), path};
    return std::optional<crypto::SigningKey>(std::move(key).value());
}

bool mismatch(probe::Outcome o)
{
    return o == probe::Outcome::AcceptsRejected || o == probe::Outcome::RejectsAccepted;
}

// One line a token, then the summary, what is not covered and the margin. Disagreements are in
// capitals so they stand out in a long list.
void printText(CliIo& io, const probe::ProbeReport& report, int tokenCount)
{
    io.out << QStringLiteral("probe %1 for issuer %2: %3 token(s), %4 sent\n")
                  .arg(report.url, report.issuer)
                  .arg(tokenCount)
                  .arg(report.sent);
    for (const probe::ProbeResult& r : report.results) {
        QString line = QStringLiteral("%1  expected %2  observed %3  status %4  %5")
                           .arg(r.variant.leftJustified(32),
                                (r.expectedAccepted ? QStringLiteral("accepted") : QStringLiteral("rejected")).leftJustified(8),
                                probe::observedName(r.observed).leftJustified(12),
                                (r.httpStatus ? QString::number(r.httpStatus) : QStringLiteral("-")).leftJustified(3),
                                mismatch(r.result) ? probe::outcomeName(r.result).toUpper() : probe::outcomeName(r.result));
        if (!r.error.isEmpty())
            line += QStringLiteral("  (%1)").arg(r.error);
        else if (mismatch(r.result))
            line += r.expectedAccepted ? QStringLiteral("  (the core accepts it)")
                                       : QStringLiteral("  (control %1; the core rejects it at %2)").arg(r.control, r.expectedStep);
        io.out << line << '\n';
    }
    io.out << QStringLiteral("summary: %1 conforms, %2 accepts_rejected, %3 rejects_accepted, %4 inconclusive\n")
                  .arg(report.conforms)
                  .arg(report.acceptsRejected)
                  .arg(report.rejectsAccepted)
                  .arg(report.inconclusive);
    for (const QString& n : report.notCovered)
        io.out << "not covered: " << n << '\n';
    io.out << QStringLiteral("margin: %1 s (each time boundary lies this far from its edge at the minting instant)\n")
                  .arg(report.marginSeconds);
}

class ProbeCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("probe"); }
    QString description() const override
    {
        return QStringLiteral("Probe your own staging verifier with the policy's test tokens; exit 1 if it disagrees.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.setApplicationDescription(
            description()
            + QStringLiteral("\n\nSends the policy's own test tokens (attacks, boundaries, valid controls) to a live "
                             "verifier and compares each answer with the core's verdict. Point a probe ONLY at staging "
                             "systems you own or run. Requests are bounded (--rate, --max-requests, --timeout), "
                             "redirects are not followed, TLS is verified, and tokens appear in no output: results "
                             "name them by fingerprint.\n"
                             "Exit codes: 0 every token conforms, 1 the verifier accepts a token the policy rejects "
                             "or rejects one it accepts, 2 usage, policy, key or connection error."));
        parser.addOption(policyOption());
        for (const QCommandLineOption& o : {kUrl, kIssuer, kAudience, kSigningKey, kHeader, kPrefix, kAccept, kReject, kCa,
                                            kRate, kMaxRequests, kTimeout, kMargin})
            parser.addOption(o);
        parser.addOption(formatOption(SarifSupport::Yes));
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        if (const Status none = noPositionalArguments(parser); !none)
            return reportError(io, name(), none.error());
        const auto format = outputFormat(parser, SarifSupport::Yes);
        if (!format)
            return reportError(io, name(), format.error());
        const auto target = readTarget(parser);
        if (!target)
            return reportError(io, name(), target.error());
        const auto margin = number<int>(parser, kMargin, 1, 300, "ERR_USAGE_MARGIN");
        if (!margin)
            return reportError(io, name(), margin.error());
        const auto loaded = loadPolicyArg(parser);
        if (!loaded)
            return reportError(io, name(), loaded.error());
        const auto key = readSigningKey(parser);
        if (!key)
            return reportError(io, name(), key.error());

        probe::TokenSetOptions options;
        options.issuer = parser.value(kIssuer);
        if (parser.isSet(kAudience))
            options.audience = parser.value(kAudience);
        options.signingKey = key->has_value() ? &key->value() : nullptr;
        options.nowUnixSeconds = QDateTime::currentSecsSinceEpoch();
        options.marginSeconds = *margin;
        const auto set = probe::mintProbeTokens(*loaded, options);
        if (!set)
            return reportError(io, name(), set.error());

        const probe::ProbeReport report = probe::runProbe(*set, *target);
        if (*format == OutputFormat::Sarif)
            printSarif(io, report::probeToSarif(*loaded, report, sarifContext(parser.value(policyOption()))));
        else if (*format == OutputFormat::Json)
            printJson(io, probe::probeReportToJson(report));
        else
            printText(io, report, static_cast<int>(set->tokens.size()));

        if (report.sent > 0 && report.connectionFailures == report.sent) {
            QString first;
            for (const probe::ProbeResult& r : report.results) {
                if (r.connectionFailed) {
                    first = r.error;
                    break;
                }
            }
            return reportError(io, name(), Error{QStringLiteral("ERR_PROBE_CONNECTION"),
                                                 QStringLiteral("no request got an answer from %1: %2").arg(report.url, first),
                                                 {}});
        }
        return probe::probeExitCode(report);
    }
};

} // namespace

std::unique_ptr<Command> makeProbeCommand() { return std::make_unique<ProbeCommand>(); }

} // namespace jwb::cli
