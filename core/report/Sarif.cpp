// SPDX-License-Identifier: Apache-2.0
#include "report/Sarif.h"

#include "util/Versions.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <vector>

namespace jwb::report {

namespace {

// The OASIS-published location of the schema the output follows (2.1.0 with Errata 01).
const QString kSchemaUri =
    QStringLiteral("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
// The project's homepage, as in the top-level CMakeLists.txt (HOMEPAGE_URL).
const QString kInformationUri = QStringLiteral("https://example.com/jwt-policy-workbench");
const QString kFingerprintKey = QStringLiteral("jwtPolicyFinding/v1");
const QString kSrcRoot = QStringLiteral("SRCROOT");
// A walk of a configuration path never takes more steps than this (paths are short; YAML is not).
constexpr int kMaxPathSteps = 256;

QJsonObject text(const QString& s)
{
    return {{QStringLiteral("text"), s}};
}

// "RFC 8725 §3.1, RFC 7518 §3.6" -> the first RFC's page, at its section when one follows it.
QString helpUriOf(const QString& reference)
{
    static const QRegularExpression rfc(QStringLiteral("RFC\\s*(\\d{3,5})(?:\\s*§\\s*([0-9]+(?:\\.[0-9]+)*))?"));
    const QRegularExpressionMatch m = rfc.match(reference);
    if (!m.hasMatch())
        return {};
    QString uri = QStringLiteral("https://www.rfc-editor.org/rfc/rfc") + m.captured(1);
    if (!m.captured(2).isEmpty())
        uri += QStringLiteral("#section-") + m.captured(2);
    return uri;
}

QJsonObject ruleToJson(const SarifRule& rule)
{
    QJsonObject properties{{QStringLiteral("tags"), QJsonArray::fromStringList(rule.tags)}};
    if (!rule.reference.isEmpty())
        properties.insert(QStringLiteral("reference"), rule.reference);
    QJsonObject o{
        {QStringLiteral("id"), rule.id},
        {QStringLiteral("shortDescription"), text(rule.shortDescription)},
        {QStringLiteral("help"), text(rule.help.isEmpty() ? rule.shortDescription : rule.help)},
        {QStringLiteral("defaultConfiguration"), QJsonObject{{QStringLiteral("level"), sarifLevelName(rule.defaultLevel)}}},
        {QStringLiteral("properties"), properties},
    };
    if (const QString uri = helpUriOf(rule.reference); !uri.isEmpty())
        o.insert(QStringLiteral("helpUri"), uri);
    return o;
}

QJsonObject locationToJson(const SarifLocation& l)
{
    QJsonObject o;
    if (!l.uri.isEmpty()) {
        QJsonObject artifact{{QStringLiteral("uri"), l.uri}};
        if (!l.uri.startsWith(QStringLiteral("file:")))
            artifact.insert(QStringLiteral("uriBaseId"), kSrcRoot);
        QJsonObject physical{{QStringLiteral("artifactLocation"), artifact}};
        if (l.startLine > 0)
            physical.insert(QStringLiteral("region"), QJsonObject{{QStringLiteral("startLine"), l.startLine}});
        o.insert(QStringLiteral("physicalLocation"), physical);
    }
    if (!l.logicalName.isEmpty()) {
        QJsonObject logical{{QStringLiteral("name"), l.logicalName}, {QStringLiteral("fullyQualifiedName"), l.logicalName}};
        if (!l.logicalKind.isEmpty())
            logical.insert(QStringLiteral("kind"), l.logicalKind);
        o.insert(QStringLiteral("logicalLocations"), QJsonArray{logical});
    }
    return o;
}

SarifLevel levelOf(lint::Severity s)
{
    switch (s) {
    case lint::Severity::Error:
        return SarifLevel::Error;
    case lint::Severity::Warning:
        return SarifLevel::Warning;
    case lint::Severity::Info:
        return SarifLevel::Note;
    }
    return SarifLevel::Warning;
}

// The part of a field path that names a list member by position is replaced by the member's own
// name ("issuers[2]" -> "issuers[https://a/]", "exceptions[0]" -> "exceptions[partner-skew]"), so
// a fingerprint survives reordering.
QString stablePath(const policy::Policy& policy, const QString& path)
{
    static const QRegularExpression indexed(QStringLiteral("^(issuers|exceptions)\\[(\\d+)\\]"));
    const QRegularExpressionMatch m = indexed.match(path);
    if (!m.hasMatch())
        return path;
    const int i = m.captured(2).toInt();
    QString name;
    if (m.captured(1) == u"issuers" && i < policy.issuers.size())
        name = policy.issuers.at(i).issuer;
    else if (m.captured(1) == u"exceptions" && i < policy.exceptions.size())
        name = policy.exceptions.at(i).id;
    if (name.isEmpty())
        return path;
    return m.captured(1) + u'[' + name + u']' + path.mid(m.capturedLength());
}

// The file line of `path` in the policy, or of its nearest recorded ancestor; 0 when unknown.
int policyLine(const policy::Policy& policy, QString path)
{
    while (!path.isEmpty()) {
        if (const int line = policy.sourceLines.value(path); line > 0)
            return line;
        const qsizetype cut = std::max(path.lastIndexOf(u'.'), path.lastIndexOf(u'['));
        path.truncate(std::max<qsizetype>(cut, 0));
    }
    return 0;
}

int issuerLine(const policy::Policy& policy, const QString& issuer)
{
    for (int i = 0; i < policy.issuers.size(); ++i) {
        if (policy.issuers.at(i).issuer == issuer)
            return policyLine(policy, QStringLiteral("issuers[%1]").arg(i));
    }
    return 0;
}

// The line of a drift finding's path ("[doc 1 RequestAuthentication/x].spec.jwtRules[0].issuer",
// "static_resources.listeners[0]....providers.workforce.clock_skew_seconds") in the configuration, or
// of the deepest part of it that exists (a defaulted field is absent); 0 when the text does not parse.
int configLine(const QByteArray& config, const QString& path)
{
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(config.toStdString());
    } catch (const YAML::Exception&) {
        return 0;
    }
    QStringView rest(path);
    std::size_t doc = 0;
    static const QRegularExpression docPrefix(QStringLiteral("^\\[doc (\\d+)[^\\]]*\\]\\.?"));
    if (const QRegularExpressionMatch m = docPrefix.match(path); m.hasMatch()) {
        doc = m.captured(1).toULongLong();
        rest = rest.mid(m.capturedLength());
    }
    if (doc >= docs.size())
        return 0;
    try {
        YAML::Node node;
        node.reset(docs.at(doc)); // reset() rebinds; operator= would assign into the tree
        int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
        for (int step = 0; step < kMaxPathSteps && !rest.isEmpty(); ++step) {
            if (rest.startsWith(u'[')) {
                const qsizetype close = rest.indexOf(u']');
                bool ok = false;
                const std::size_t index = close > 0 ? rest.mid(1, close - 1).toULongLong(&ok) : 0;
                if (!ok || !node.IsSequence() || index >= node.size())
                    break;
                const YAML::Node next = node[index];
                node.reset(next);
                rest = rest.mid(close + 1);
            } else if (node.IsMap()) {
                // Keys may hold dots (provider names): take the longest key the path continues with.
                qsizetype best = -1;
                YAML::Node key;
                YAML::Node value;
                for (const auto& kv : node) {
                    if (!kv.first.IsScalar())
                        continue;
                    const QString k = QString::fromStdString(kv.first.Scalar());
                    if (k.size() > best && rest.startsWith(k)
                        && (rest.size() == k.size() || rest.at(k.size()) == u'.' || rest.at(k.size()) == u'[')) {
                        best = k.size();
                        key.reset(kv.first);
                        value.reset(kv.second);
                    }
                }
                if (best < 0)
                    break;
                if (key.Mark().line >= 0)
                    line = key.Mark().line + 1;
                node.reset(value);
                rest = rest.mid(best);
                if (rest.startsWith(u'.'))
                    rest = rest.mid(1);
                continue;
            } else {
                break;
            }
            if (node.Mark().line >= 0)
                line = node.Mark().line + 1;
            if (rest.startsWith(u'.'))
                rest = rest.mid(1);
        }
        return line;
    } catch (const YAML::Exception&) {
        return 0;
    }
}

// Collects rules and results for one run, keeping result rule ids and fingerprints consistent.
class RunBuilder {
public:
    RunBuilder(const SarifContext& context, const QString& verb, const QString& subject)
    {
        m_run.srcRoot = QUrl::fromLocalFile(QDir(context.baseDir).absolutePath() + u'/').toString(QUrl::FullyEncoded);
        m_run.automationId = QStringLiteral("jwt-policy/%1/%2/").arg(verb, subject);
    }

    void rule(SarifRule r)
    {
        if (m_ruleIds.contains(r.id))
            return;
        m_ruleIds.insert(r.id);
        m_run.rules.append(std::move(r));
    }
    bool hasRule(const QString& id) const { return m_ruleIds.contains(id); }

    void result(SarifResult r) { m_run.results.append(std::move(r)); }
    void note(const QString& n) { m_run.notifications.append(n); }
    SarifRun take() { return std::move(m_run); }

private:
    SarifRun m_run;
    QSet<QString> m_ruleIds;
};

const QStringList kTags{QStringLiteral("security"), QStringLiteral("jwt")};

// --- gaps -----------------------------------------------------------------------------------------

QString gapRuleId(const QString& control)
{
    return QStringLiteral("gap/") + control;
}

SarifRule gapRule(const QString& control)
{
    const QString title = exporting::controlTitle(control);
    return {gapRuleId(control),
            QStringLiteral("%1 is not fully enforced by an export target").arg(title.isEmpty() ? control : title),
            QStringLiteral("The gap report says, for each export target and issuer, whether the target enforces the "
                           "'%1' control, emulates it, or does not enforce it. Not enforced: the service behind that "
                           "target must verify locally with the core's rules; on a target the policy's deployments mark "
                           "only_verifier nothing else does, so the gap is an error. Emulated rows are notes: the target "
                           "approximates the control (see the row's detail).")
                .arg(control),
            QStringLiteral("jwt-policy gaps; docs/targets/"),
            SarifLevel::Warning,
            kTags + QStringList{QStringLiteral("gaps")}};
}

// --- drift ----------------------------------------------------------------------------------------

struct KindInfo {
    const char16_t* kind;
    const char16_t* description;
};
// The kinds of core/export/Drift.h, each with what it means.
constexpr KindInfo kDriftKinds[] = {
    {u"unknown_issuer", u"The deployed configuration trusts an issuer the policy does not"},
    {u"audience", u"The deployed configuration accepts an audience outside the issuer's row, or checks none"},
    {u"clock_skew", u"The deployed configuration allows a wider clock skew than the policy"},
    {u"require_expiration", u"The deployed configuration does not require exp where the policy does"},
    {u"max_lifetime", u"The deployed configuration has no lifetime limit, or a longer one than the policy"},
    {u"unpinned_key", u"The deployed configuration trusts a key the policy does not pin"},
    {u"jwks_host", u"The deployed configuration fetches keys from a host other than the policy's"},
    {u"algorithm", u"The deployed configuration accepts an algorithm outside the issuer's pin"},
    {u"token_not_required", u"The deployed configuration lets requests through without a valid token"},
    {u"unreadable", u"A part of the deployed configuration that drift cannot judge"},
};

SarifRule driftRule(const QString& kind)
{
    QString description = QStringLiteral("The deployed configuration differs from the policy (%1)").arg(kind);
    for (const KindInfo& k : kDriftKinds) {
        if (kind == QStringView(k.kind))
            description = QString::fromUtf16(k.description);
    }
    return {QStringLiteral("drift/") + kind, description,
            description
                + QStringLiteral(". Drift compares a configuration already deployed on a gateway with the policy: a "
                                 "loosening finding is an error (the gateway accepts what the policy rejects); an "
                                 "unverified one is a warning (drift could not judge that part). Re-export the policy "
                                 "with jwt-policy export and deploy it."),
            QStringLiteral("jwt-policy drift"),
            kind == u"unreadable" ? SarifLevel::Warning : SarifLevel::Error,
            kTags + QStringList{QStringLiteral("drift")}};
}

// --- self-test and probe classes ------------------------------------------------------------------

// The variant classes of core/verify/AttackVariants.cpp (the probe's matrix columns).
constexpr KindInfo kVariantClasses[] = {
    {u"valid", u"A valid token the policy accepts"},
    {u"alg_none", u"A token with the unsecured algorithm 'none' in any spelling"},
    {u"alg_confusion", u"An HMAC token keyed with the issuer's public key (algorithm confusion)"},
    {u"embedded_key", u"A token carrying its own verification key in the jwk header"},
    {u"key_url", u"A token pointing at an attacker's key set through jku or x5u"},
    {u"kid_injection", u"A kid header crafted for path traversal or injection"},
    {u"signature", u"A token with a stripped, zeroed or re-encoded signature"},
    {u"crit", u"A token with an unknown critical header"},
    {u"expiry", u"An expired token"},
    {u"not_before", u"A token that is not yet valid"},
    {u"issued_at", u"A token issued in the future"},
    {u"lifetime", u"A token whose lifetime exceeds the limit"},
    {u"audience", u"A token for an audience outside the issuer's row, or without one"},
    {u"issuer", u"A token from an issuer the policy does not trust"},
    {u"typ", u"A token of a type the policy does not allow"},
    {u"header", u"A token with a header member outside the allowlist"},
    {u"required_claims", u"A token missing a required claim"},
    {u"subject", u"A token for a subject the issuer may not assert"},
    {u"duplicate_claims", u"A token whose JSON repeats a claim name"},
};

QString variantClassText(const QString& variantClass)
{
    for (const KindInfo& k : kVariantClasses) {
        if (variantClass == QStringView(k.kind))
            return QString::fromUtf16(k.description);
    }
    return QStringLiteral("Attack variants of class '%1'").arg(variantClass);
}

SarifRule selfTestRule(const QString& variantClass)
{
    return {QStringLiteral("selftest/") + variantClass,
            QStringLiteral("The policy accepts an attack: %1").arg(variantClassText(variantClass).toLower()),
            QStringLiteral("jwt-policy selftest mints the known attacks of this class against every issuer and verifies "
                           "them with the core. An accepted variant is an error: a verifier enforcing this policy lets "
                           "the attack through. The result's message says what to change."),
            QStringLiteral("RFC 8725 §3"),
            SarifLevel::Error,
            kTags + QStringList{QStringLiteral("selftest"), variantClass}};
}

struct OutcomeInfo {
    probe::Outcome outcome;
    SarifLevel level;
    const char16_t* description;
    const char16_t* help;
};
constexpr OutcomeInfo kProbeOutcomes[] = {
    {probe::Outcome::AcceptsRejected, SarifLevel::Error, u"The verifier accepts a token the policy rejects",
     u"The probed verifier answered 'accepted' to a test token the core rejects: it is weaker than the policy for that "
     u"control. Compare with the gap report of its export target and fix the deployment."},
    {probe::Outcome::RejectsAccepted, SarifLevel::Warning, u"The verifier rejects a token the policy accepts",
     u"The probed verifier refused a token the core accepts: valid traffic breaks. Check its keys, audiences and clock."},
    {probe::Outcome::Inconclusive, SarifLevel::Note, u"A probe token got no usable answer",
     u"The token was not sent (time edge, --max-requests), timed out, or got a status outside --accept-status and "
     u"--reject-status, so nothing is known about that control."},
};

} // namespace

QString sarifLevelName(SarifLevel level)
{
    switch (level) {
    case SarifLevel::None:
        return QStringLiteral("none");
    case SarifLevel::Note:
        return QStringLiteral("note");
    case SarifLevel::Warning:
        return QStringLiteral("warning");
    case SarifLevel::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("warning");
}

QString sarifFingerprint(const QStringList& parts)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& part : parts) {
        const QByteArray bytes = part.toUtf8();
        hash.addData(QByteArray(QByteArray::number(bytes.size()) + ':'));
        hash.addData(bytes);
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString artifactUri(const QString& filePath, const QString& baseDir)
{
    const QString absolute = QDir::cleanPath(QFileInfo(filePath).absoluteFilePath());
    const QString relative = QDir(QDir(baseDir).absolutePath()).relativeFilePath(absolute);
    if (relative.isEmpty() || relative == u".." || relative.startsWith(QStringLiteral("../")) || QDir::isAbsolutePath(relative))
        return QUrl::fromLocalFile(absolute).toString(QUrl::FullyEncoded);
    QUrl url;
    // A colon in the first segment would read as a scheme.
    const qsizetype slash = relative.indexOf(u'/');
    url.setPath(relative.left(slash < 0 ? relative.size() : slash).contains(u':') ? QStringLiteral("./") + relative
                                                                                 : relative,
                QUrl::DecodedMode);
    return url.toString(QUrl::FullyEncoded);
}

QJsonObject sarifToJson(const SarifRun& run)
{
    QHash<QString, int> ruleIndex;
    QJsonArray rules;
    for (const SarifRule& r : run.rules) {
        ruleIndex.insert(r.id, static_cast<int>(rules.size()));
        rules.append(ruleToJson(r));
    }
    QJsonArray results;
    QHash<QString, int> seen;
    for (const SarifResult& r : run.results) {
        QString fingerprint = sarifFingerprint(QStringList{r.ruleId} + r.fingerprintParts);
        // Two results with the same identity (rare: one rule, one field, two messages) stay distinct.
        if (const int n = seen[fingerprint]++; n > 0)
            fingerprint = sarifFingerprint(QStringList{r.ruleId} + r.fingerprintParts + QStringList{QString::number(n)});
        QJsonObject o{
            {QStringLiteral("ruleId"), r.ruleId},
            {QStringLiteral("level"), sarifLevelName(r.level)},
            {QStringLiteral("message"), text(r.message)},
            {QStringLiteral("partialFingerprints"), QJsonObject{{kFingerprintKey, fingerprint}}},
        };
        if (const auto it = ruleIndex.constFind(r.ruleId); it != ruleIndex.constEnd())
            o.insert(QStringLiteral("ruleIndex"), it.value());
        if (const QJsonObject location = locationToJson(r.location); !location.isEmpty())
            o.insert(QStringLiteral("locations"), QJsonArray{location});
        if (!r.properties.isEmpty())
            o.insert(QStringLiteral("properties"), r.properties);
        results.append(o);
    }
    QJsonArray notifications;
    for (const QString& n : run.notifications)
        notifications.append(QJsonObject{{QStringLiteral("level"), QStringLiteral("note")}, {QStringLiteral("message"), text(n)}});
    QJsonObject invocation{{QStringLiteral("executionSuccessful"), true}};
    if (!notifications.isEmpty())
        invocation.insert(QStringLiteral("toolExecutionNotifications"), notifications);

    const QJsonObject driver{
        {QStringLiteral("name"), QStringLiteral("jwt-policy")},
        {QStringLiteral("fullName"), QStringLiteral("JWT Policy Workbench (jwt-policy)")},
        {QStringLiteral("version"), util::productVersion()},
        {QStringLiteral("semanticVersion"), util::productVersion()},
        {QStringLiteral("informationUri"), kInformationUri},
        {QStringLiteral("rules"), rules},
    };
    QJsonObject jsonRun{
        {QStringLiteral("tool"), QJsonObject{{QStringLiteral("driver"), driver}}},
        {QStringLiteral("invocations"), QJsonArray{invocation}},
        {QStringLiteral("results"), results},
        {QStringLiteral("columnKind"), QStringLiteral("unicodeCodePoints")},
    };
    if (!run.automationId.isEmpty())
        jsonRun.insert(QStringLiteral("automationDetails"), QJsonObject{{QStringLiteral("id"), run.automationId}});
    if (!run.srcRoot.isEmpty())
        jsonRun.insert(QStringLiteral("originalUriBaseIds"),
                       QJsonObject{{kSrcRoot, QJsonObject{{QStringLiteral("uri"), run.srcRoot}}}});
    return {{QStringLiteral("$schema"), kSchemaUri},
            {QStringLiteral("version"), QStringLiteral("2.1.0")},
            {QStringLiteral("runs"), QJsonArray{jsonRun}}};
}

SarifRun lintToSarif(const policy::Policy& policy, const QList<lint::Finding>& findings, const SarifContext& context)
{
    const QString uri = artifactUri(context.policyFile, context.baseDir);
    RunBuilder run(context, QStringLiteral("lint"), uri);
    for (const lint::RuleInfo& info : lint::allRules())
        run.rule({info.id, info.summary,
                  info.summary + QStringLiteral(". Reference: ") + info.reference
                      + QStringLiteral(". The result's message names the field and what to change."),
                  info.reference, levelOf(info.severity), kTags + QStringList{QStringLiteral("lint")}});
    for (const lint::Finding& f : findings) {
        if (!run.hasRule(f.ruleId)) // a finding always comes from a listed rule; never emit a dangling id
            run.rule({f.ruleId, f.ruleId, f.message, f.reference, levelOf(f.severity), kTags});
        run.result({f.ruleId,
                    levelOf(f.severity),
                    f.message,
                    SarifLocation{uri, f.line, f.path, QStringLiteral("member")},
                    {f.issuer, stablePath(policy, f.path)},
                    QJsonObject{{QStringLiteral("severity"), lint::severityName(f.severity)},
                                {QStringLiteral("path"), f.path},
                                {QStringLiteral("issuer"), f.issuer},
                                {QStringLiteral("reference"), f.reference}}});
    }
    return run.take();
}

SarifRun gapsToSarif(const policy::Policy& policy, const QList<exporting::GapEntry>& gaps, const SarifContext& context)
{
    const QString uri = artifactUri(context.policyFile, context.baseDir);
    RunBuilder run(context, QStringLiteral("gaps"), uri);
    for (const QString& control : exporting::controlIds())
        run.rule(gapRule(control));
    for (const exporting::GapEntry& g : gaps) {
        SarifLevel level = SarifLevel::None;
        const bool blocking = exporting::isBlockingGap(policy, g);
        if (g.status == exporting::GapStatus::NotEnforced)
            level = blocking ? SarifLevel::Error : SarifLevel::Warning;
        else if (g.status == exporting::GapStatus::Emulated)
            level = SarifLevel::Note;
        if (level == SarifLevel::None)
            continue;
        if (!run.hasRule(gapRuleId(g.control)))
            run.rule(gapRule(g.control));
        const QString title = exporting::controlTitle(g.control);
        QString message = QStringLiteral("%1, issuer %2: %3 is %4")
                              .arg(g.target, g.issuer, title.isEmpty() ? g.control : title,
                                   g.status == exporting::GapStatus::Emulated ? QStringLiteral("emulated")
                                                                              : QStringLiteral("not enforced"));
        if (blocking)
            message += QStringLiteral(" on a target the policy marks only_verifier");
        if (!g.detail.isEmpty())
            message += QStringLiteral(": ") + g.detail;
        run.result({gapRuleId(g.control),
                    level,
                    message,
                    SarifLocation{uri, issuerLine(policy, g.issuer), g.target + u'/' + g.issuer, QStringLiteral("resource")},
                    {g.issuer, g.target},
                    QJsonObject{{QStringLiteral("target"), g.target},
                                {QStringLiteral("issuer"), g.issuer},
                                {QStringLiteral("control"), g.control},
                                {QStringLiteral("status"), exporting::gapStatusName(g.status)},
                                {QStringLiteral("exported"), g.exported},
                                {QStringLiteral("policy"), g.policy},
                                {QStringLiteral("blocking"), blocking}}});
    }
    return run.take();
}

SarifRun driftToSarif(const policy::Policy& policy, const exporting::DriftReport& report, const QString& configFile,
                      const QByteArray& config, const SarifContext& context)
{
    Q_UNUSED(policy) // the findings already name the policy's issuers; kept for a uniform builder signature
    const QString uri = artifactUri(configFile, context.baseDir);
    RunBuilder run(context, QStringLiteral("drift/") + report.target, uri);
    for (const KindInfo& k : kDriftKinds)
        run.rule(driftRule(QString::fromUtf16(k.kind)));
    for (const exporting::DriftFinding& f : report.findings) {
        if (!run.hasRule(QStringLiteral("drift/") + f.kind))
            run.rule(driftRule(f.kind));
        const bool loosening = f.classification == exporting::DriftClass::Loosening;
        run.result({QStringLiteral("drift/") + f.kind,
                    loosening ? SarifLevel::Error : SarifLevel::Warning,
                    QStringLiteral("%1 %2 at %3: %4")
                        .arg(report.target, exporting::driftClassName(f.classification), f.path, f.message),
                    SarifLocation{uri, configLine(config, f.path), f.path, QStringLiteral("member")},
                    {f.issuer, f.path, report.target},
                    QJsonObject{{QStringLiteral("kind"), f.kind},
                                {QStringLiteral("issuer"), f.issuer},
                                {QStringLiteral("path"), f.path},
                                {QStringLiteral("target"), report.target},
                                {QStringLiteral("classification"), exporting::driftClassName(f.classification)}}});
    }
    return run.take();
}

SarifRun selfTestToSarif(const policy::Policy& policy, const verify::SelfTestReport& report, const SarifContext& context)
{
    const QString uri = artifactUri(context.policyFile, context.baseDir);
    RunBuilder run(context, QStringLiteral("selftest"), uri);
    for (const KindInfo& k : kVariantClasses) {
        if (QStringView(k.kind) != u"valid") // the self-test mints attacks only
            run.rule(selfTestRule(QString::fromUtf16(k.kind)));
    }
    for (const verify::SelfTestVariant& v : report.variants) {
        if (!v.applicable || !v.accepted)
            continue;
        const QString variantClass = v.variantClass.isEmpty() ? QStringLiteral("other") : v.variantClass;
        const QString ruleId = QStringLiteral("selftest/") + variantClass;
        if (!run.hasRule(ruleId))
            run.rule(selfTestRule(variantClass));
        QString message = QStringLiteral("Issuer %1 accepts the attack '%2' (%3)").arg(v.issuer, v.title, v.id);
        if (!v.finding.isEmpty())
            message += QStringLiteral(": ") + v.finding;
        run.result({ruleId,
                    SarifLevel::Error,
                    message,
                    SarifLocation{uri, issuerLine(policy, v.issuer), {}, {}},
                    {v.issuer, v.id},
                    QJsonObject{{QStringLiteral("issuer"), v.issuer},
                                {QStringLiteral("variant"), v.id},
                                {QStringLiteral("class"), variantClass},
                                {QStringLiteral("signed_with_test_key"), v.signedWithTestKey},
                                {QStringLiteral("token_fingerprint"), v.trace.fingerprint()}}});
    }
    for (const QString& note : report.notes)
        run.note(note);
    return run.take();
}

SarifRun probeToSarif(const policy::Policy& policy, const probe::ProbeReport& report, const SarifContext& context)
{
    const QString uri = artifactUri(context.policyFile, context.baseDir);
    const QUrl url(report.url);
    RunBuilder run(context, QStringLiteral("probe"), uri + u'/' + url.host() + u'_' + QString::number(url.port(0)));
    for (const OutcomeInfo& o : kProbeOutcomes)
        run.rule({QStringLiteral("probe/") + probe::outcomeName(o.outcome), QString::fromUtf16(o.description),
                  QString::fromUtf16(o.help), QStringLiteral("jwt-policy probe; docs/probe.md"), o.level,
                  kTags + QStringList{QStringLiteral("probe")}});
    for (const probe::ProbeResult& r : report.results) {
        const OutcomeInfo* info = nullptr;
        for (const OutcomeInfo& o : kProbeOutcomes) {
            if (o.outcome == r.result)
                info = &o;
        }
        if (!info) // conforms: nothing to report
            continue;
        QString message;
        switch (r.result) {
        case probe::Outcome::AcceptsRejected:
            message = QStringLiteral("%1 accepts '%2' (%3) for issuer %4; the policy rejects it at '%5' (control %6)")
                          .arg(report.url, r.variant, variantClassText(r.variantClass).toLower(), r.issuer, r.expectedStep,
                               r.control);
            break;
        case probe::Outcome::RejectsAccepted:
            message = QStringLiteral("%1 rejects '%2' for issuer %3 (HTTP %4); the policy accepts it")
                          .arg(report.url, r.variant, r.issuer)
                          .arg(r.httpStatus);
            break;
        default:
            message = QStringLiteral("%1: no usable answer to '%2' for issuer %3%4")
                          .arg(report.url, r.variant, r.issuer, r.error.isEmpty() ? QString() : QStringLiteral(" (") + r.error + u')');
            break;
        }
        run.result({QStringLiteral("probe/") + probe::outcomeName(r.result),
                    info->level,
                    message,
                    SarifLocation{uri, issuerLine(policy, r.issuer), report.url, QStringLiteral("resource")},
                    {r.issuer, r.variant, report.url},
                    QJsonObject{{QStringLiteral("variant"), r.variant},
                                {QStringLiteral("class"), r.variantClass},
                                {QStringLiteral("control"), r.control},
                                {QStringLiteral("issuer"), r.issuer},
                                {QStringLiteral("expected"), r.expectedAccepted ? QStringLiteral("accepted") : QStringLiteral("rejected")},
                                {QStringLiteral("expected_step"), r.expectedStep},
                                {QStringLiteral("observed"), probe::observedName(r.observed)},
                                {QStringLiteral("http_status"), r.httpStatus},
                                {QStringLiteral("token_fingerprint"), r.fingerprint}}});
    }
    for (const QString& n : report.notCovered)
        run.note(QStringLiteral("not covered: ") + n);
    return run.take();
}

// --- estate check -----------------------------------------------------------------------------------

namespace {

struct EstateRuleInfo {
    const char16_t* id;
    SarifLevel level;
    const char16_t* description;
    const char16_t* help;
};

const EstateRuleInfo kEstateRules[] = {
    {u"estate/unexplained_acceptance", SarifLevel::Error, u"A verifier accepts a token the policy rejects, unpredicted",
     u"A verifier of the estate answered 'accepted' to a test token the core rejects, and its target's gap report does "
     u"not predict it (or no export describes the verifier). One weak verifier undoes the chain: fix its configuration "
     u"or library options and probe again."},
    {u"estate/drift_loosening", SarifLevel::Error, u"A verifier's deployed configuration is looser than the policy",
     u"The configuration the estate names for this verifier is looser than the policy (jwt-policy drift). Deploy the "
     u"export again."},
    {u"estate/advisory", SarifLevel::Error, u"A service's JWT library has a known advisory",
     u"The library and version the estate names for this service are affected by a published JWT vulnerability. "
     u"Upgrade to the fixed version."},
    {u"estate/rejects_accepted", SarifLevel::Warning, u"A verifier rejects a token the policy accepts",
     u"A verifier refused a token the core accepts, and no gap row says its export is stricter: valid traffic "
     u"breaks. Check its keys, audiences and clock."},
    // A warning, not a note: a predicted acceptance still makes the verifier weak.
    {u"estate/known_gap", SarifLevel::Warning, u"A verifier deviates as its target's gap report predicted",
     u"The verifier accepts a token the policy rejects (or refuses one it accepts) exactly where the gap report of "
     u"its export target says the control is not enforced (or enforced more strictly). Known when deploying; enforce "
     u"the control elsewhere in the chain."},
    {u"estate/inconclusive", SarifLevel::Note, u"Some probe tokens got no usable answer",
     u"Tokens were not sent, timed out or got an unexpected status: the verifier was not fully checked."},
};

const EstateRuleInfo& estateRule(QStringView id)
{
    for (const EstateRuleInfo& r : kEstateRules) {
        if (QStringView(r.id) == id)
            return r;
    }
    return kEstateRules[0];
}

QString estateFindingRule(const estate::Finding& f, bool explained)
{
    if (explained)
        return QStringLiteral("estate/known_gap");
    if (f.source == u"drift")
        return QStringLiteral("estate/drift_loosening");
    if (f.source == u"advisory")
        return QStringLiteral("estate/advisory");
    return QStringLiteral("estate/unexplained_acceptance");
}

} // namespace

SarifRun estateToSarif(const estate::Estate& estate, const estate::EstateReport& report, const SarifContext& context)
{
    const QString uri = artifactUri(report.estatePath, context.baseDir);
    RunBuilder run(context, QStringLiteral("estate"), uri);
    for (const EstateRuleInfo& r : kEstateRules)
        run.rule({QString::fromUtf16(r.id), QString::fromUtf16(r.description), QString::fromUtf16(r.help),
                  QStringLiteral("jwt-policy estate check; docs/estate.md"), r.level,
                  kTags + QStringList{QStringLiteral("estate")}});

    for (const estate::VerifierAssessment& v : report.verifiers) {
        int line = 0;
        QString logical = v.name;
        for (qsizetype i = 0; i < estate.verifiers.size(); ++i) {
            if (estate.verifiers.at(i).name != v.name)
                continue;
            line = estate.sourceLines.value(QStringLiteral("verifiers[%1]").arg(i), 0);
            if (estate.verifiers.at(i).probe)
                logical = estate.verifiers.at(i).probe->target.url.toString();
        }
        const SarifLocation where{uri, line, logical, QStringLiteral("resource")};
        auto add = [&](const QString& ruleId, const QString& message, const QStringList& identity, QJsonObject properties) {
            properties.insert(QStringLiteral("verifier"), v.name);
            properties.insert(QStringLiteral("verifier_kind"), v.kind);
            properties.insert(QStringLiteral("verdict"), estate::verdictName(v.verdict));
            if (!v.target.isEmpty())
                properties.insert(QStringLiteral("target"), v.target);
            run.result({ruleId, estateRule(ruleId).level, message, where, QStringList{v.name} + identity, properties});
        };
        auto addFinding = [&](const estate::Finding& f, bool explained) {
            // The properties are the finding as the estate JSON writes it.
            QJsonObject props = estate::findingToJson(f);
            props.remove(QStringLiteral("detail"));
            QStringList identity{f.source, f.issuer};
            if (f.source == u"probe")
                identity << f.variant;
            else if (f.source == u"drift")
                identity << f.control << f.path;
            else
                identity << f.id;
            add(estateFindingRule(f, explained), QStringLiteral("%1: %2").arg(v.name, f.detail), identity, props);
        };
        for (const estate::Finding& f : v.unexplained)
            addFinding(f, false);
        for (const estate::Finding& f : v.explained)
            addFinding(f, true);
        for (const estate::Finding& f : v.explainedRejections)
            addFinding(f, true);
        if (!v.evidence.probe)
            continue;
        int inconclusive = 0;
        for (const probe::ProbeResult& r : v.evidence.probe->results) {
            if (r.result == probe::Outcome::Inconclusive)
                ++inconclusive;
            if (r.result != probe::Outcome::RejectsAccepted)
                continue;
            const bool known = std::any_of(v.explainedRejections.begin(), v.explainedRejections.end(),
                                           [&r](const estate::Finding& f) { return f.variant == r.variant && f.issuer == r.issuer; });
            if (known)
                continue;
            add(QStringLiteral("estate/rejects_accepted"),
                QStringLiteral("%1 rejects '%2' for issuer %3 (HTTP %4); the policy accepts it").arg(v.name, r.variant, r.issuer).arg(r.httpStatus),
                {QStringLiteral("probe"), r.issuer, r.variant},
                QJsonObject{{QStringLiteral("variant"), r.variant},
                            {QStringLiteral("class"), r.variantClass},
                            {QStringLiteral("issuer"), r.issuer},
                            {QStringLiteral("http_status"), r.httpStatus},
                            {QStringLiteral("token_fingerprint"), r.fingerprint}});
        }
        if (inconclusive > 0)
            add(QStringLiteral("estate/inconclusive"),
                QStringLiteral("%1: %2 token(s) gave no conclusive answer").arg(v.name).arg(inconclusive),
                {QStringLiteral("inconclusive")}, QJsonObject{{QStringLiteral("tokens"), inconclusive}});
        for (const QString& n : v.evidence.probe->notCovered)
            run.note(QStringLiteral("%1: not covered: %2").arg(v.name, n));
    }
    run.note(QStringLiteral("advisories list updated %1").arg(report.advisoriesUpdated));
    if (report.cancelled)
        run.note(QStringLiteral("the check was cancelled: tokens not sent are inconclusive"));
    return run.take();
}

} // namespace jwb::report
