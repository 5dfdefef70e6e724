// SPDX-License-Identifier: Apache-2.0
// The estate check: prepare every verifier (fail on file and policy problems before any request),
// then probe them one after another and judge each.

#include "estate/EstateCheck.h"
#include "util/BoundedRead.h"

#include <QDateTime>
#include <QFile>

namespace jwb::estate {

namespace {

constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024;

struct Prepared {
    std::optional<exporting::DriftReport> drift;
    std::optional<QList<exporting::GapEntry>> predicted;
    QList<Advisory> advisories;
};

QString where(const Estate& estate, qsizetype index, const QString& field)
{
    QString path = QStringLiteral("verifiers[%1]").arg(index);
    if (!field.isEmpty())
        path += u'.' + field;
    int line = estate.sourceLines.value(path, 0);
    if (line == 0)
        line = estate.sourceLines.value(QStringLiteral("verifiers[%1]").arg(index), 0);
    const QString source = estate.sourcePath.isEmpty() ? QStringLiteral("estate") : estate.sourcePath;
    return source + (line > 0 ? u':' + QString::number(line) : QString()) + QStringLiteral(": ") + path;
}

// The cause keeps its own code (ERR_PROBE_*, ERR_DRIFT_*): the location says which verifier.
Error located(const Error& cause, const QString& location, const QString& verifier)
{
    const QString inner = cause.location.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(cause.location);
    return Error{cause.code, QStringLiteral("verifier \"%1\": %2%3").arg(verifier, cause.message, inner), location};
}

probe::TokenSetOptions tokenOptions(const ProbeSettings& s, qint64 now)
{
    probe::TokenSetOptions o;
    o.issuer = s.issuer;
    o.audience = s.audience;
    o.signingKey = s.signingKey ? &*s.signingKey : nullptr;
    o.nowUnixSeconds = now;
    o.marginSeconds = s.marginSeconds;
    return o;
}

Result<Prepared> prepare(const Estate& estate, qsizetype index, const AdvisoryDb& advisories, qint64 now)
{
    const Verifier& v = estate.verifiers.at(index);
    Prepared p;
    if (v.probe) {
        auto tokens = probe::mintProbeTokens(estate.policy, tokenOptions(*v.probe, now));
        if (!tokens)
            return located(tokens.error(), where(estate, index, QStringLiteral("probe")), v.name);
    }
    if (!v.configPath.isEmpty()) {
        const auto source = driftSourceFor(v.kind);
        QFile file(v.configPath);
        if (!source || !file.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("ERR_ESTATE_FILE"),
                         QStringLiteral("verifier \"%1\": cannot read its configuration: %2").arg(v.name, file.errorString()),
                         where(estate, index, QStringLiteral("config"))};
        const QByteArray config = util::readAtMost(file, kMaxConfigBytes);
        if (config.size() > kMaxConfigBytes)
            return Error{QStringLiteral("ERR_ESTATE_FILE"),
                         QStringLiteral("verifier \"%1\": its configuration is larger than %2 bytes").arg(v.name).arg(kMaxConfigBytes),
                         where(estate, index, QStringLiteral("config"))};
        auto drift = exporting::detectDrift(estate.policy, *source, config, v.configPath, now);
        if (!drift)
            return located(drift.error(), where(estate, index, QStringLiteral("config")), v.name);
        p.drift = std::move(drift).value();
    }
    if (const auto target = referenceTargetFor(v)) {
        exporting::ExportProfile profile;
        profile.atUnixSeconds = now;
        // The staging export a probe runs against carries the test keys; the report names them.
        profile.includeTestKeys = true;
        auto exported = exporting::exportPolicy(estate.policy, *target, profile);
        if (!exported)
            return located(exported.error(),
                           where(estate, index, v.kind == VerifierKind::Service ? QStringLiteral("library.export") : QStringLiteral("kind")),
                           v.name);
        p.predicted = exported->gaps;
    }
    if (v.library)
        p.advisories = matchAdvisories(advisories, v.library->name, v.library->version, v.library->ecosystem);
    return p;
}

} // namespace

Result<EstateReport> checkEstate(const Estate& estate, const AdvisoryDb& advisories, const EstateCheckOptions& options)
{
    const auto clock = options.clock ? options.clock : [] { return QDateTime::currentSecsSinceEpoch(); };
    EstateReport report;
    report.estatePath = estate.sourcePath;
    report.estateName = estate.name;
    report.policyPath = estate.policyPath;
    report.policyName = estate.policy.name;
    report.advisoriesUpdated = advisories.updated;
    report.checkedAtUnixSeconds = clock();

    QList<Prepared> prepared;
    for (qsizetype i = 0; i < estate.verifiers.size(); ++i) {
        auto p = prepare(estate, i, advisories, report.checkedAtUnixSeconds);
        if (!p)
            return p.error();
        prepared.append(std::move(p).value());
    }

    const int total = static_cast<int>(estate.verifiers.size());
    for (qsizetype i = 0; i < estate.verifiers.size(); ++i) {
        const Verifier& v = estate.verifiers.at(i);
        if (options.onVerifier)
            options.onVerifier(v.name, static_cast<int>(i), total);
        VerifierEvidence evidence;
        evidence.drift = prepared[i].drift;
        evidence.driftConfig = v.configPath;
        evidence.predicted = prepared[i].predicted;
        evidence.advisories = prepared[i].advisories;
        evidence.libraryChecked = v.library.has_value();
        const bool cancelled = options.cancel && options.cancel->load();
        if (v.probe && !cancelled) {
            // Minted again now: the tokens' time windows start when this verifier's turn comes.
            auto tokens = probe::mintProbeTokens(estate.policy, tokenOptions(*v.probe, clock()));
            if (!tokens)
                return located(tokens.error(), where(estate, i, QStringLiteral("probe")), v.name);
            evidence.probe = probe::runProbe(tokens.value(), v.probe->target, options.cancel, options.onToken);
        }
        report.cancelled = report.cancelled || cancelled || (evidence.probe && evidence.probe->cancelled);
        report.verifiers.append(assessVerifier(v, std::move(evidence)));
    }
    report.matrix = buildMatrix(report.verifiers);
    return report;
}

} // namespace jwb::estate
