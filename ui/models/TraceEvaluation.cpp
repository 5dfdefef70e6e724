// SPDX-License-Identifier: Apache-2.0
#include "models/TraceEvaluation.h"

#include "token/Base64Url.h"
#include "token/CompactToken.h"
#include "token/Json.h"
#include "util/Time.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <string_view>

namespace jwb::ui {

namespace {

// Display limits: a hostile payload must not turn the claims table into megabytes of text.
constexpr qsizetype kMaxClaimValueChars = 300;
constexpr qsizetype kMaxDisplayTokenBytes = 1 << 20;

QString tr(const char* text) { return QCoreApplication::translate("jwb::ui::TraceEvaluation", text); }

QString indentOf(int level) { return QString(level * 2, u' '); }

// Pretty-prints a strict JSON value in document order (QJsonObject would sort the members, and the
// order a header was written in is part of what a reviewer looks at).
void appendPretty(QString& out, const json::Value& value, int level)
{
    if (value.isObject() && !value.members().empty()) {
        out += u'{';
        bool first = true;
        for (const json::Value::Member& m : value.members()) {
            out += first ? QStringLiteral("\n") : QStringLiteral(",\n");
            first = false;
            out += indentOf(level + 1) + QString::fromUtf8(json::serialize(json::Value::string(m.first)))
                   + QStringLiteral(": ");
            appendPretty(out, m.second, level + 1);
        }
        out += u'\n' + indentOf(level) + u'}';
    } else if (value.isArray() && !value.items().empty()) {
        out += u'[';
        bool first = true;
        for (const json::Value& item : value.items()) {
            out += first ? QStringLiteral("\n") : QStringLiteral(",\n");
            first = false;
            out += indentOf(level + 1);
            appendPretty(out, item, level + 1);
        }
        out += u'\n' + indentOf(level) + u']';
    } else {
        out += QString::fromUtf8(json::serialize(value));
    }
}

QString pretty(const json::Value& value)
{
    QString out;
    appendPretty(out, value, 0);
    return out;
}

QString elide(QString text)
{
    if (text.size() > kMaxClaimValueChars) {
        text.truncate(kMaxClaimValueChars);
        text += u'…';
    }
    return text;
}

QString displayValue(const json::Value& value)
{
    if (value.isString())
        return elide(value.toQString());
    return elide(QString::fromUtf8(json::serialize(value)));
}

std::optional<qint64> numericDate(const json::Value* value)
{
    if (!value || !value->isNumber())
        return std::nullopt;
    return static_cast<qint64>(value->toInteger());
}

QString describeInstant(qint64 t, qint64 at)
{
    return util::formatInstant(t) + QStringLiteral(" (") + util::relativeTime(t, at) + u')';
}

QStringList stringList(const json::Value* value)
{
    QStringList out;
    if (!value)
        return out;
    if (value->isString())
        out.append(value->toQString());
    else if (value->isArray())
        for (const json::Value& item : value->items())
            out.append(displayValue(item));
    return out;
}

policy::EffectiveRules rulesFor(const policy::Policy& policy, const policy::Issuer* issuer)
{
    if (issuer)
        return policy.effectiveRules(*issuer);
    policy::EffectiveRules rules;
    rules.apply(policy.defaults);
    return rules;
}

QString claimMeaning(std::string_view name, const json::Value& value, const policy::Policy& policy,
                     const policy::Issuer* issuer, const policy::EffectiveRules& rules, const TokenTimes& times,
                     bool* registered)
{
    *registered = true;
    const QString list = QStringLiteral(", ");
    if (name == "iss") {
        if (!value.isString())
            return tr("Issuer: must be a string; no trust entry can be chosen");
        if (!issuer)
            return tr("Issuer: matches no trust entry of the policy (exact, byte-for-byte comparison)");
        return tr("Issuer: selects the trust entry of trust domain '%1' (its keys, pins and audience row)")
            .arg(issuer->trustDomain);
    }
    if (name == "sub") {
        if (issuer && !issuer->subjects.isEmpty())
            return tr("Subject: the principal; this issuer allows only %1").arg(issuer->subjects.join(list));
        return tr("Subject: the principal the token is about; any subject is accepted for this issuer");
    }
    if (name == "aud") {
        if (!issuer)
            return tr("Audience: the APIs the token is meant for; bound to the issuer's row of the matrix");
        return tr("Audience: the APIs the token is meant for; this issuer's row allows %1")
            .arg(issuer->audiences.isEmpty() ? tr("no audience") : issuer->audiences.join(list));
    }
    if (name == "exp")
        return tr("Expiry: rejected from this instant on, after %1 s of clock skew").arg(rules.clockSkewSeconds);
    if (name == "nbf")
        return tr("Not before: rejected before this instant, less %1 s of clock skew").arg(rules.clockSkewSeconds);
    if (name == "iat") {
        QString text = tr("Issued at: the lifetime exp − iat is measured from here");
        if (times.exp && times.iat)
            text += tr(" (this token: %1 s").arg(*times.exp - *times.iat)
                    + (rules.maxLifetimeSeconds ? tr(", limit %1 s)").arg(*rules.maxLifetimeSeconds) : tr(", no limit set)"));
        return text;
    }
    if (name == "jti")
        return tr("JWT ID: unique per token, for replay detection; the policy keeps no record of seen ids");
    if (name == "act") {
        const json::Value* actor = value.isObject() ? value.find("sub") : nullptr;
        const QString who = actor && actor->isString() ? actor->toQString() : tr("(no sub)");
        return tr("Actor (RFC 8693): used on behalf of sub by '%1'; the policy %2 delegated tokens")
            .arg(who, policy.delegation.act == policy::Delegation::Act::Allow ? tr("accepts") : tr("rejects"));
    }
    *registered = false;
    return tr("Not a registered claim: the policy does not check it; the application interprets it");
}

// Best effort for a token the parser refused: each of the first two segments says what it alone
// decodes to (pretty JSON, not JSON, not base64url, missing), so the box of a sound segment never
// repeats another segment's error and the user sees which part is broken.
QString segmentText(const QList<QByteArrayView>& segments, int index, const QString& name)
{
    if (index >= segments.size())
        return tr("No %1 segment: the token has %2 segment(s); a compact JWS has three separated by dots "
                  "(RFC 7515 section 7.1).")
            .arg(name)
            .arg(segments.size());
    const QByteArrayView segment = segments.at(index);
    if (segment.isEmpty())
        return tr("The %1 segment is empty.").arg(name);
    const std::optional<QByteArray> raw = token::decodeBase64Url(segment);
    if (!raw)
        return tr("The %1 segment is not valid base64url (RFC 7515 section 2).").arg(name);
    Result<json::Value> parsed = json::parse(*raw);
    if (!parsed)
        return tr("The %1 segment decodes, but not to JSON: %2").arg(name, parsed.error().message) + QStringLiteral("\n\n")
               + elide(QString::fromUtf8(*raw));
    if (!parsed->isObject())
        return tr("The %1 segment is JSON, but not an object (RFC 7515 section 4, RFC 7519 section 7.2):").arg(name)
               + QStringLiteral("\n\n") + elide(pretty(*parsed));
    return pretty(*parsed);
}

} // namespace

QList<TraceRow> traceRows(const verify::Trace& trace)
{
    QList<TraceRow> rows;
    rows.reserve(trace.steps.size());
    const auto append = [&rows](const verify::Trace& t, bool inner) {
        for (const verify::TraceStep& s : t.steps) {
            TraceRow row;
            row.id = s.id;
            row.verdict = s.verdict;
            row.stepName = verify::stepIdName(s.id);
            row.title = inner ? tr("Inner token: ") + verify::stepTitle(s.id) : verify::stepTitle(s.id);
            row.reason = s.reason();
            row.reference = s.reference();
            row.code = s.code;
            row.exceptionId = s.exceptionId;
            row.untrusted = s.untrusted;
            row.inner = inner;
            rows.append(std::move(row));
        }
    };
    append(trace, false);
    for (const verify::Trace* n = trace.nested.get(); n; n = n->nested.get())
        append(*n, true);
    return rows;
}

QList<TokenLine> splitTokenLines(QStringView text, int maxTokens, bool* truncated)
{
    QList<TokenLine> out;
    if (truncated)
        *truncated = false;
    int lineNo = 0;
    for (QStringView line : text.split(u'\n')) {
        ++lineNo;
        line = line.trimmed();
        if (line.startsWith(QLatin1String("Bearer "), Qt::CaseInsensitive))
            line = line.mid(7).trimmed();
        if (line.size() >= 2 && (line.front() == u'"' || line.front() == u'\'') && line.back() == line.front())
            line = line.mid(1, line.size() - 2);
        if (line.isEmpty())
            continue;
        if (out.size() >= maxTokens) {
            if (truncated)
                *truncated = true;
            break;
        }
        out.append(TokenLine{lineNo, line.toUtf8()});
    }
    return out;
}

TokenDetail describeToken(const verify::PolicyVerifier& verifier, QByteArrayView tokenBytes, verify::Trace trace,
                          qint64 atUnixSeconds)
{
    TokenDetail detail;
    detail.rows = traceRows(trace);
    const verify::TraceStep* signature = trace.step(verify::StepId::Signature);
    detail.signatureVerified = signature && signature->verdict == verify::Verdict::Pass;
    detail.times.at = atUnixSeconds;

    const policy::Policy& policy = verifier.policy();
    const policy::Issuer* issuer = trace.issuer.isEmpty() ? nullptr : policy.findIssuer(trace.issuer.view());
    const policy::EffectiveRules rules = rulesFor(policy, issuer);
    detail.times.skewSeconds = rules.clockSkewSeconds;

    const QList<QByteArrayView> segments = [&tokenBytes] {
        QList<QByteArrayView> parts;
        qsizetype start = 0;
        for (qsizetype i = 0; i <= tokenBytes.size(); ++i) {
            if (i == tokenBytes.size() || tokenBytes[i] == '.') {
                parts.append(tokenBytes.sliced(start, i - start));
                start = i + 1;
            }
        }
        return parts;
    }();
    for (int i = 0; i < 3 && i < segments.size(); ++i)
        detail.segmentLengths[i] = segments.at(i).size();

    token::ParseLimits limits;
    limits.maxTokenBytes = kMaxDisplayTokenBytes;
    auto parsed = token::parseCompact(tokenBytes, limits);
    if (std::holds_alternative<token::ParseFailure>(parsed)) {
        // The parser's error is in the trace (structure step); each box shows its own segment.
        detail.headerText = segmentText(segments, 0, tr("header"));
        detail.payloadText = segmentText(segments, 1, tr("payload"));
        detail.trace = std::move(trace);
        return detail;
    }
    const token::CompactToken& compact = std::get<token::CompactToken>(parsed);
    detail.decoded = true;
    detail.headerText = pretty(compact.header);
    if (!compact.claims) {
        detail.payloadText = compact.claimsError ? tr("The payload is not a JSON object: %1").arg(compact.claimsError->message)
                                                 : tr("The payload is not a JSON object.");
        detail.trace = std::move(trace);
        return detail;
    }
    const json::Value& claims = *compact.claims;
    detail.payloadText = pretty(claims);
    detail.times.iat = numericDate(claims.find("iat"));
    detail.times.nbf = numericDate(claims.find("nbf"));
    detail.times.exp = numericDate(claims.find("exp"));

    for (const json::Value::Member& m : claims.members()) {
        ClaimRow row;
        row.name = QString::fromUtf8(m.first);
        const std::string_view name = m.first;
        if ((name == "exp" || name == "nbf" || name == "iat") && m.second.isNumber())
            row.value = describeInstant(static_cast<qint64>(m.second.toInteger()), atUnixSeconds);
        else if (name == "aud")
            row.value = elide(stringList(&m.second).join(QStringLiteral(", ")));
        else
            row.value = displayValue(m.second);
        row.meaning = claimMeaning(name, m.second, policy, issuer, rules, detail.times, &row.registered);
        detail.claims.append(std::move(row));
    }
    detail.trace = std::move(trace);
    return detail;
}

TokenLabResult evaluateTokens(const verify::PolicyVerifier& verifier, QStringView text, int selected,
                              qint64 atUnixSeconds)
{
    TokenLabResult result;
    result.at = atUnixSeconds;
    const QList<TokenLine> lines = splitTokenLines(text, kMaxTokenLines, &result.truncated);
    if (lines.isEmpty())
        return result;
    result.selected = std::clamp(selected < 0 ? 0 : selected, 0, static_cast<int>(lines.size()) - 1);

    verify::VerifyOptions options;
    options.atUnixSeconds = atUnixSeconds;
    result.tokens.reserve(lines.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const TokenLine& line = lines.at(i);
        verify::Trace trace = verifier.verify(line.token, options);
        TokenSummary summary;
        summary.line = line.line;
        summary.fingerprint = trace.fingerprint();
        summary.issuer = trace.issuer;
        summary.accepted = trace.accepted;
        if (trace.accepted) {
            const bool warned = std::any_of(trace.steps.cbegin(), trace.steps.cend(), [](const verify::TraceStep& s) {
                return s.verdict == verify::Verdict::Warning;
            });
            summary.verdictText = warned ? tr("accepted, with warnings") : tr("accepted");
        } else if (const verify::TraceStep* failure = trace.firstFailure()) {
            summary.verdictText = tr("rejected at %1").arg(verify::stepTitle(failure->id));
            summary.failureCode = failure->code;
        } else {
            summary.verdictText = tr("rejected");
        }
        result.tokens.append(std::move(summary));
        if (i == result.selected)
            result.detail = describeToken(verifier, line.token, std::move(trace), atUnixSeconds);
    }
    return result;
}

} // namespace jwb::ui
