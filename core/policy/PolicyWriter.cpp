// SPDX-License-Identifier: Apache-2.0
// Canonical output of a policy: one ordered document, written as YAML (yaml-cpp's emitter) or as
// JSON (a small writer of our own, because QJsonDocument reorders keys alphabetically).

#include "policy/PolicyWriter.h"

#include "policy/PolicyFields.h"
#include "policy/PolicyIO.h"
#include "policy/PolicyTree.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/null.h>

#include <cmath>
#include <optional>
#include <span>
#include <string_view>

namespace jwb::policy::detail {

OutNode OutNode::string(const QString& s)
{
    OutNode n;
    n.kind = Kind::String;
    n.text = s;
    return n;
}

OutNode OutNode::integer(qint64 v)
{
    OutNode n;
    n.kind = Kind::Integer;
    n.text = QString::number(v);
    return n;
}

OutNode OutNode::boolean_(bool b)
{
    OutNode n;
    n.kind = Kind::Bool;
    n.boolean = b;
    return n;
}

OutNode OutNode::map()
{
    OutNode n;
    n.kind = Kind::Map;
    return n;
}

OutNode OutNode::list(bool flowStyle)
{
    OutNode n;
    n.kind = Kind::List;
    n.flow = flowStyle;
    return n;
}

OutNode OutNode::stringList(const QStringList& list)
{
    OutNode n = OutNode::list(true);
    for (const QString& s : list)
        n.items.push_back(OutNode::string(s));
    return n;
}

OutNode OutNode::fromJson(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return OutNode();
    case QJsonValue::Bool:
        return boolean_(value.toBool());
    case QJsonValue::Double: {
        const double d = value.toDouble();
        // Integers (RSA exponents, sizes) are written without a fraction.
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9007199254740992.0)
            return integer(static_cast<qint64>(d));
        OutNode n;
        n.kind = Kind::Double;
        n.number = d;
        return n;
    }
    case QJsonValue::String:
        return string(value.toString());
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        bool scalarsOnly = true;
        for (const QJsonValue item : array)
            scalarsOnly = scalarsOnly && !item.isArray() && !item.isObject();
        OutNode n = list(scalarsOnly);
        for (const QJsonValue item : array)
            n.items.push_back(fromJson(item));
        return n;
    }
    case QJsonValue::Object: {
        // JWK members in the order people read them (RFC 7517 examples), the rest alphabetically.
        static const QStringList preferred{
            QStringLiteral("keys"), QStringLiteral("kty"), QStringLiteral("kid"), QStringLiteral("use"),
            QStringLiteral("key_ops"), QStringLiteral("alg"), QStringLiteral("crv"), QStringLiteral("n"),
            QStringLiteral("e"), QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("k")};
        const QJsonObject object = value.toObject();
        OutNode n = map();
        for (const QString& key : preferred) {
            if (object.contains(key))
                n.add(key, fromJson(object.value(key)));
        }
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!preferred.contains(it.key()))
                n.add(it.key(), fromJson(it.value()));
        }
        return n;
    }
    }
    return OutNode();
}

OutNode& OutNode::add(const QString& key, OutNode value)
{
    members.push_back(Member{key, std::move(value)});
    return *this;
}

namespace {

QString doubleText(double d)
{
    return QString::number(d, 'g', 17);
}

// ---- YAML ----

void emitYamlString(YAML::Emitter& out, const QString& text, bool plainDate)
{
    const std::string s = text.toStdString();
    // Quote whatever a reader would take for another type (true, 30, null, "", 2026-01-01).
    if (!plainDate && (resolvePlainScalar(s) != TreeNode::ScalarType::String || ambiguousForYaml11(s)))
        out << YAML::DoubleQuoted << s;
    else
        out << s;
}

void emitYaml(YAML::Emitter& out, const OutNode& node)
{
    switch (node.kind) {
    case OutNode::Kind::Map:
        if (node.flow || node.members.empty())
            out << YAML::Flow;
        out << YAML::BeginMap;
        for (const auto& [key, value] : node.members) {
            out << YAML::Key;
            emitYamlString(out, key, false);
            out << YAML::Value;
            emitYaml(out, value);
        }
        out << YAML::EndMap;
        break;
    case OutNode::Kind::List:
        if (node.flow || node.items.empty())
            out << YAML::Flow;
        out << YAML::BeginSeq;
        for (const OutNode& item : node.items)
            emitYaml(out, item);
        out << YAML::EndSeq;
        break;
    case OutNode::Kind::String:
        emitYamlString(out, node.text, node.plainDate);
        break;
    case OutNode::Kind::Integer:
        out << node.text.toStdString();
        break;
    case OutNode::Kind::Double:
        out << doubleText(node.number).toStdString();
        break;
    case OutNode::Kind::Bool:
        out << (node.boolean ? "true" : "false");
        break;
    case OutNode::Kind::Null:
        out << YAML::Null;
        break;
    }
}

// ---- JSON ----

void appendJsonString(QByteArray& out, const QString& text)
{
    out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", u);
                out += buffer;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

bool isContainer(const OutNode& node)
{
    return node.kind == OutNode::Kind::Map || node.kind == OutNode::Kind::List;
}

void writeJsonNode(QByteArray& out, const OutNode& node, int indent)
{
    const QByteArray pad(indent * 2, ' ');
    const QByteArray innerPad((indent + 1) * 2, ' ');
    switch (node.kind) {
    case OutNode::Kind::Map: {
        if (node.members.empty()) {
            out += "{}";
            break;
        }
        out += "{\n";
        for (std::size_t i = 0; i < node.members.size(); ++i) {
            out += innerPad;
            appendJsonString(out, node.members[i].first);
            out += ": ";
            writeJsonNode(out, node.members[i].second, indent + 1);
            out += i + 1 < node.members.size() ? ",\n" : "\n";
        }
        out += pad + '}';
        break;
    }
    case OutNode::Kind::List: {
        if (node.items.empty()) {
            out += "[]";
            break;
        }
        bool inlineList = node.flow;
        for (const OutNode& item : node.items)
            inlineList = inlineList && !isContainer(item);
        if (inlineList) {
            out += '[';
            for (std::size_t i = 0; i < node.items.size(); ++i) {
                if (i > 0)
                    out += ", ";
                writeJsonNode(out, node.items[i], indent + 1);
            }
            out += ']';
            break;
        }
        out += "[\n";
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            out += innerPad;
            writeJsonNode(out, node.items[i], indent + 1);
            out += i + 1 < node.items.size() ? ",\n" : "\n";
        }
        out += pad + ']';
        break;
    }
    case OutNode::Kind::String:
        appendJsonString(out, node.text);
        break;
    case OutNode::Kind::Integer:
        out += node.text.toLatin1();
        break;
    case OutNode::Kind::Double:
        out += std::isfinite(node.number) ? doubleText(node.number).toLatin1() : QByteArray("null");
        break;
    case OutNode::Kind::Bool:
        out += node.boolean ? "true" : "false";
        break;
    case OutNode::Kind::Null:
        out += "null";
        break;
    }
}

// ---- the policy as an ordered document (the field table's order) ----

// The members of one mapping, set by name in any order and written in the field table's order for
// its section: the writer holds no key order of its own.
class MappingBuilder final {
public:
    explicit MappingBuilder(Section section) : m_fields(fieldsOf(section)), m_values(m_fields.size()) {}

    MappingBuilder& set(std::string_view name, OutNode value)
    {
        for (std::size_t i = 0; i < m_fields.size(); ++i) {
            if (m_fields[i].name == name) {
                m_values[i] = std::move(value);
                return *this;
            }
        }
        Q_ASSERT_X(false, "MappingBuilder::set", "a field name missing from the table");
        return *this;
    }
    // Sets `name` only when `value` holds something (an empty mapping or list is left out).
    MappingBuilder& setIfNotEmpty(std::string_view name, OutNode value)
    {
        return value.isEmpty() ? *this : set(name, std::move(value));
    }

    OutNode take()
    {
        OutNode n = OutNode::map();
        for (std::size_t i = 0; i < m_fields.size(); ++i) {
            if (m_values[i])
                n.add(fieldName(m_fields[i]), std::move(*m_values[i]));
        }
        return n;
    }

private:
    std::span<const FieldSpec> m_fields;
    std::vector<std::optional<OutNode>> m_values;
};

OutNode rulesNode(const Rules& rules)
{
    MappingBuilder n(Section::Rules);
    if (rules.algorithms)
        n.set("algorithms", OutNode::stringList(*rules.algorithms));
    if (rules.clockSkewSeconds)
        n.set("clock_skew_seconds", OutNode::integer(*rules.clockSkewSeconds));
    if (rules.maxLifetimeSeconds)
        n.set("max_lifetime_seconds", OutNode::integer(*rules.maxLifetimeSeconds));
    if (rules.requiredClaims)
        n.set("required_claims", OutNode::stringList(*rules.requiredClaims));
    if (rules.allowedHeaders)
        n.set("allowed_headers", OutNode::stringList(*rules.allowedHeaders));
    if (rules.allowedTypes)
        n.set("allowed_types", OutNode::stringList(*rules.allowedTypes));
    if (rules.requireType)
        n.set("require_type", OutNode::boolean_(*rules.requireType));
    if (rules.requireKid)
        n.set("require_kid", OutNode::boolean_(*rules.requireKid));
    if (rules.maxTokenBytes)
        n.set("max_token_bytes", OutNode::integer(*rules.maxTokenBytes));
    return n.take();
}

OutNode refreshNode(const KeyRefresh& r)
{
    MappingBuilder n(Section::Refresh);
    if (r.cacheSeconds)
        n.set("cache_seconds", OutNode::integer(*r.cacheSeconds));
    if (r.maxStaleSeconds)
        n.set("max_stale_seconds", OutNode::integer(*r.maxStaleSeconds));
    if (r.refetchOnUnknownKid)
        n.set("refetch_on_unknown_kid", OutNode::boolean_(*r.refetchOnUnknownKid));
    if (r.cooldownSeconds)
        n.set("cooldown_seconds", OutNode::integer(*r.cooldownSeconds));
    return n.take();
}

// An issuer's keys (Section::Keys) or an exception's extra keys (Section::ExceptionKeys, which has
// no jwks_uri, test_jwks or refresh: the model leaves those unset there).
OutNode keySourcesNode(const KeySources& keys, Section section)
{
    MappingBuilder n(section);
    if (keys.jwks)
        n.set("jwks", OutNode::fromJson(*keys.jwks));
    if (!keys.jwksFile.isEmpty())
        n.set("jwks_file", OutNode::string(keys.jwksFile));
    if (!keys.pemFiles.isEmpty())
        n.set("pem_files", OutNode::stringList(keys.pemFiles));
    if (section == Section::Keys) {
        if (!keys.jwksUri.isEmpty())
            n.set("jwks_uri", OutNode::string(keys.jwksUri));
        if (keys.testJwks)
            n.set("test_jwks", OutNode::fromJson(*keys.testJwks));
        if (keys.refresh)
            n.set("refresh", refreshNode(*keys.refresh));
    }
    return n.take();
}

OutNode issuerNode(const Issuer& issuer)
{
    MappingBuilder n(Section::Issuer);
    n.set("issuer", OutNode::string(issuer.issuer));
    if (!issuer.trustDomain.isEmpty())
        n.set("trust_domain", OutNode::string(issuer.trustDomain));
    n.set("audiences", OutNode::stringList(issuer.audiences));
    if (!issuer.subjects.isEmpty())
        n.set("subjects", OutNode::stringList(issuer.subjects));
    n.setIfNotEmpty("keys", keySourcesNode(issuer.keys, Section::Keys));
    n.setIfNotEmpty("overrides", rulesNode(issuer.overrides));
    return n.take();
}

OutNode expiresNode(const PolicyException& exception)
{
    const QDateTime utc = exception.expires.toUTC();
    if (exception.expiresIsDate) {
        // Stored as the exclusive end of the named day; written back as that day.
        OutNode n = OutNode::string(utc.addSecs(-1).date().toString(Qt::ISODate));
        n.plainDate = true;
        return n;
    }
    const QString format = utc.time().msec() != 0 ? QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")
                                                    : QStringLiteral("yyyy-MM-ddTHH:mm:ssZ");
    return OutNode::string(utc.toString(format));
}

OutNode allowNode(const ExceptionAllow& a)
{
    MappingBuilder n(Section::Allow);
    if (a.algorithms)
        n.set("algorithms", OutNode::stringList(*a.algorithms));
    if (a.headers)
        n.set("headers", OutNode::stringList(*a.headers));
    if (a.clockSkewSeconds)
        n.set("clock_skew_seconds", OutNode::integer(*a.clockSkewSeconds));
    if (a.maxLifetimeSeconds)
        n.set("max_lifetime_seconds", OutNode::integer(*a.maxLifetimeSeconds));
    if (a.kids)
        n.set("kids", OutNode::stringList(*a.kids));
    if (a.keys)
        n.set("keys", keySourcesNode(*a.keys, Section::ExceptionKeys));
    return n.take();
}

OutNode exceptionNode(const PolicyException& exception)
{
    MappingBuilder n(Section::Exception);
    n.set("id", OutNode::string(exception.id));
    if (!exception.owner.isEmpty())
        n.set("owner", OutNode::string(exception.owner));
    if (!exception.reason.isEmpty())
        n.set("reason", OutNode::string(exception.reason));
    n.set("expires", expiresNode(exception));
    n.set("issuer", OutNode::string(exception.issuer));
    n.set("allow", allowNode(exception.allow));
    return n.take();
}

OutNode delegationNode(const Delegation& d)
{
    MappingBuilder n(Section::Delegation);
    n.set("act", OutNode::string(d.act == Delegation::Act::Allow ? QStringLiteral("allow") : QStringLiteral("reject")));
    if (!d.allowedActors.isEmpty())
        n.set("allowed_actors", OutNode::stringList(d.allowedActors));
    n.set("max_chain", OutNode::integer(d.maxChain));
    n.set("nested", OutNode::string(d.nested == Delegation::Nested::Verify ? QStringLiteral("verify")
                                                                           : QStringLiteral("reject")));
    n.set("max_nested_depth", OutNode::integer(d.maxNestedDepth));
    return n.take();
}

OutNode deploymentNode(const Deployment& deployment)
{
    MappingBuilder n(Section::Deployment);
    n.set("target", OutNode::string(deployment.target));
    n.set("only_verifier", OutNode::boolean_(deployment.onlyVerifier));
    return n.take();
}

template <typename Item>
OutNode listNode(const QList<Item>& items, OutNode (*node)(const Item&))
{
    OutNode list = OutNode::list(false);
    for (const Item& item : items)
        list.items.push_back(node(item));
    return list;
}

OutNode policyNode(const Policy& policy)
{
    MappingBuilder root(Section::Root);
    root.set("jwt_policy", OutNode::integer(policy.formatVersion));
    if (!policy.name.isEmpty())
        root.set("name", OutNode::string(policy.name));
    if (!policy.owner.isEmpty())
        root.set("owner", OutNode::string(policy.owner));
    root.set("revision", OutNode::integer(policy.revision));
    root.setIfNotEmpty("defaults", rulesNode(policy.defaults));
    root.set("issuers", listNode(policy.issuers, &issuerNode));
    root.setIfNotEmpty("exceptions", listNode(policy.exceptions, &exceptionNode));
    if (policy.hasDelegation)
        root.set("delegation", delegationNode(policy.delegation));
    root.setIfNotEmpty("deployments", listNode(policy.deployments, &deploymentNode));
    return root.take();
}

} // namespace

QByteArray writeYaml(const OutNode& root)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetMapFormat(YAML::Block);
    out.SetSeqFormat(YAML::Block);
    emitYaml(out, root);
    QByteArray text(out.c_str(), static_cast<qsizetype>(out.size()));
    text += '\n';
    return text;
}

QByteArray writeJson(const OutNode& root)
{
    QByteArray out;
    writeJsonNode(out, root, 0);
    out += '\n';
    return out;
}

} // namespace jwb::policy::detail

namespace jwb::policy {

QByteArray serializePolicy(const Policy& policy, Format format)
{
    const detail::OutNode root = detail::policyNode(policy);
    return format == Format::Json ? detail::writeJson(root) : detail::writeYaml(root);
}

} // namespace jwb::policy
