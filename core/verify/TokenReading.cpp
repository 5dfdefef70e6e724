// SPDX-License-Identifier: Apache-2.0
#include "verify/TokenReading.h"

#include "token/Base64Url.h"
#include "util/Time.h"
#include "verify/CompiledPolicy.h"
#include "verify/steps/ClaimValues.h"
#include "verify/steps/Step.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace jwb::verify {

namespace {

// The depth the verifier decodes a token's JSON to (Pipeline.cpp): a segment read alone gets no more.
constexpr int kMaxJsonDepth = 16;
// A pretty-printed JSON value that is not an object is shown only in part: it explains an error.
constexpr qsizetype kMaxExcerptChars = 300;

QString tr(const char* text) { return QCoreApplication::translate("jwb::verify::TokenReading", text); }

std::string_view bytesOf(QByteArrayView bytes) { return {bytes.data(), static_cast<std::size_t>(bytes.size())}; }

// json::serialize escapes control characters only. Format characters (bidirectional overrides,
// zero-width joiners) would make the box show other text than the token holds, so they are written
// as \u escapes too: still the same JSON, and every character visible.
QString visibleJson(const json::Value& value)
{
    const QByteArray json = json::serialize(value);
    QString text = QString::fromUtf8(json);
    if (std::all_of(json.begin(), json.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return text;
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const bool pair = c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        const qsizetype units = pair ? 2 : 1;
        const char32_t codePoint = pair ? QChar::surrogateToUcs4(c, text.at(i + 1)) : c.unicode();
        if (QChar::category(codePoint) == QChar::Other_Format) {
            for (qsizetype k = 0; k < units; ++k)
                out += QStringLiteral("\\u%1").arg(text.at(i + k).unicode(), 4, 16, QChar(u'0'));
        } else {
            out += QStringView(text).sliced(i, units);
        }
        i += units - 1;
    }
    return out;
}

QString indentOf(int level) { return QString(level * 2, u' '); }

// Pretty-prints a strict JSON value in document order (QJsonObject would sort the members, and the
// order a header was written in is part of what a reviewer looks at).
void appendPretty(QString& out, const json::Value& value, int level)
{
    const bool object = value.isObject() && !value.members().empty();
    if (!object && !(value.isArray() && !value.items().empty())) {
        out += visibleJson(value);
        return;
    }
    out += object ? u'{' : u'[';
    bool first = true;
    auto next = [&out, &first, level] {
        out += first ? QStringLiteral("\n") : QStringLiteral(",\n");
        first = false;
        out += indentOf(level + 1);
    };
    if (object) {
        for (const json::Value::Member& m : value.members()) {
            next();
            out += visibleJson(json::Value::string(m.first)) + QStringLiteral(": ");
            appendPretty(out, m.second, level + 1);
        }
    } else {
        for (const json::Value& item : value.items()) {
            next();
            appendPretty(out, item, level + 1);
        }
    }
    out += u'\n' + indentOf(level) + (object ? u'}' : u']');
}

QString pretty(const json::Value& value)
{
    QString out;
    appendPretty(out, value, 0);
    return out;
}

QString excerpt(QString text)
{
    if (text.size() > kMaxExcerptChars) {
        text.truncate(kMaxExcerptChars);
        text += u'…';
    }
    return text;
}

// The first three dot-separated segments of a token, and how many there are.
struct Segments {
    std::array<QByteArrayView, 3> first;
    qsizetype count = 0;
};

Segments splitSegments(QByteArrayView token)
{
    Segments s;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= token.size(); ++i) {
        if (i < token.size() && token[i] != '.')
            continue;
        if (s.count < 3)
            s.first[static_cast<std::size_t>(s.count)] = token.sliced(start, i - start);
        ++s.count;
        start = i + 1;
    }
    return s;
}

// What the decoded bytes of one segment are: pretty JSON, or why they are not a JSON object.
QString explainDecoded(QByteArrayView raw, const QString& name, qsizetype maxBytes)
{
    const Result<json::Value> parsed = json::parse(raw, json::Limits{kMaxJsonDepth, maxBytes});
    if (!parsed)
        return tr("The %1 segment decodes, but not to JSON: %2").arg(name, parsed.error().message) + QStringLiteral("\n\n")
               + displayValue(bytesOf(raw));
    if (!parsed->isObject())
        return tr("The %1 segment is JSON, but not an object (RFC 7515 section 4, RFC 7519 section 7.2):").arg(name)
               + QStringLiteral("\n\n") + excerpt(pretty(*parsed));
    return pretty(*parsed);
}

// Best effort for a token the parser refused: each segment says what it alone decodes to (pretty
// JSON, not JSON, not base64url, missing), so the user sees which part is broken.
QString explainSegment(const Segments& segments, int index, const QString& name, qsizetype maxBytes)
{
    if (index >= segments.count)
        return tr("No %1 segment: the token has %2 segment(s); a compact JWS has three separated by dots "
                  "(RFC 7515 section 7.1).")
            .arg(name)
            .arg(segments.count);
    const QByteArrayView segment = segments.first[static_cast<std::size_t>(index)];
    if (segment.isEmpty())
        return tr("The %1 segment is empty.").arg(name);
    const std::optional<QByteArray> raw = token::decodeBase64Url(segment);
    if (!raw)
        return tr("The %1 segment is not valid base64url (RFC 7515 section 2).").arg(name);
    return explainDecoded(*raw, name, maxBytes);
}

// A date claim as the steps read it (ClaimValues): out of range or not a NumericDate is no instant.
std::optional<qint64> instantOf(const json::Value* value)
{
    qint64 instant = 0;
    return steps::readNumericDate(value, instant) == steps::DateRead::Ok ? std::optional(instant) : std::nullopt;
}

// A claim's value as the bytes displayValue reads: a string's text, anything else its JSON; an
// audience array as its values joined, the way the audience step lists them.
std::string rawValue(std::string_view name, const json::Value& value)
{
    if (value.isString())
        return std::string(value.toString());
    if (name != "aud" || !value.isArray())
        return json::serialize(value).toStdString();
    std::string joined;
    for (const json::Value& item : value.items()) {
        if (!joined.empty())
            joined += ", ";
        joined += item.isString() ? std::string(item.toString()) : json::serialize(item).toStdString();
    }
    return joined;
}

QString displayedValue(std::string_view name, const json::Value& value, qint64 now)
{
    if (name == "exp" || name == "nbf" || name == "iat") {
        if (const std::optional<qint64> t = instantOf(&value))
            return util::formatInstant(*t) + QStringLiteral(" (") + util::relativeTime(*t, now) + u')';
    }
    return displayValue(rawValue(name, value));
}

// The rules a claim's meaning names.
struct MeaningContext {
    const policy::Issuer* issuer; // the chosen trust entry, or null
    const policy::EffectiveRules& rules;
    const policy::Policy& policy;
    const TokenReading& reading;  // its instants
};

QString claimMeaning(std::string_view name, const json::Value& value, const MeaningContext& c, bool* registered)
{
    *registered = true;
    const QString list = QStringLiteral(", ");
    const policy::Issuer* issuer = c.issuer;
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
    const int skew = c.rules.clockSkewSeconds;
    if (name == "exp")
        return tr("Expiry: rejected from this instant on, after %1 s of clock skew").arg(skew);
    if (name == "nbf")
        return tr("Not before: rejected before this instant, less %1 s of clock skew").arg(skew);
    if (name == "iat") {
        QString text = tr("Issued at: the lifetime exp − iat is measured from here");
        const TokenReading& r = c.reading;
        if (r.exp && r.iat)
            text += tr(" (this token: %1 s").arg(*r.exp - *r.iat)
                    + (c.rules.maxLifetimeSeconds ? tr(", limit %1 s)").arg(*c.rules.maxLifetimeSeconds)
                                                  : tr(", no limit set)"));
        return text;
    }
    if (name == "jti")
        return tr("JWT ID: unique per token, for replay detection; the policy keeps no record of seen ids");
    if (name == "act") {
        const json::Value* actor = value.isObject() ? value.find("sub") : nullptr;
        const QString who = actor && actor->isString() ? displayValue(actor->toString()) : tr("(no sub)");
        return tr("Actor (RFC 8693): used on behalf of sub by '%1'; the policy %2 delegated tokens")
            .arg(who, c.policy.delegation.act == policy::Delegation::Act::Allow ? tr("accepts") : tr("rejects"));
    }
    *registered = false;
    return tr("Not a registered claim: the policy does not check it; the application interprets it");
}

} // namespace

TokenReading readToken(QByteArrayView token, const TokenView& view, const CompiledIssuer* entry,
                       const CompiledIssuer& rules, const policy::Policy& policy, qint64 now)
{
    TokenReading reading;
    const Segments segments = splitSegments(token);
    for (std::size_t i = 0; i < 3; ++i)
        reading.segmentLengths[i] = segments.first[i].size();
    if (entry)
        reading.issuer = ChosenIssuer{entry->name, entry->issuer ? entry->issuer->trustDomain : QString()};
    reading.clockSkewSeconds = rules.rules.clockSkewSeconds;
    reading.maxLifetimeSeconds = rules.rules.maxLifetimeSeconds;

    const QString header = tr("header");
    const QString payload = tr("payload");
    if (view.tooLargeToDecode()) {
        reading.headerText = reading.payloadText =
            tr("Not decoded: the token is %1 bytes, more than the policy allows any issuer (%2 bytes).")
                .arg(view.size)
                .arg(view.decodeLimit);
        return reading;
    }
    const token::CompactToken* t = view.token;
    if (!t) {
        // The parser's error is in the trace (structure step); each box shows its own segment.
        reading.headerText = explainSegment(segments, 0, header, view.decodeLimit);
        reading.payloadText = explainSegment(segments, 1, payload, view.decodeLimit);
        return reading;
    }
    reading.headerText = pretty(t->header);
    if (!view.claimsObject) {
        reading.payloadText = view.nested ? tr("The payload is a nested token (cty: JWT); the trace verifies it as "
                                               "the inner token:")
                                                + QStringLiteral("\n\n") + displayValue(bytesOf(t->payloadBytes()))
                                          : explainDecoded(t->payloadBytes(), payload, view.decodeLimit);
        return reading;
    }
    const json::Value& claims = *view.claimsObject;
    reading.decoded = true;
    reading.payloadText = pretty(claims);
    reading.iat = instantOf(view.claims[Members::Iat]);
    reading.nbf = instantOf(view.claims[Members::Nbf]);
    reading.exp = instantOf(view.claims[Members::Exp]);

    const MeaningContext context{entry ? entry->issuer : nullptr, rules.rules, policy, reading};
    reading.claims.reserve(static_cast<qsizetype>(claims.members().size()));
    for (const json::Value::Member& m : claims.members()) {
        ClaimReading row;
        row.name = displayValue(m.first);
        row.value = displayedValue(m.first, m.second, now);
        row.meaning = claimMeaning(m.first, m.second, context, &row.registered);
        reading.claims.append(std::move(row));
    }
    return reading;
}

} // namespace jwb::verify
