// SPDX-License-Identifier: Apache-2.0
// Loading a policy file: text -> tree (PolicyTree) -> validated model -> resolved keys. The model
// is built in a local and returned only when everything succeeded, so no caller ever sees a
// half-loaded policy.

#include "policy/PolicyIO.h"

#include "policy/CoreResources.h"
#include "policy/PolicyFields.h"
#include "policy/PolicyTree.h"
#include "util/AtomicFile.h"
#include "util/BoundedRead.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <charconv>
#include <exception>
#include <functional>
#include <limits>
#include <new>
#include <optional>
#include <thread>
#include <vector>

namespace jwb::policy {
namespace {

using detail::TreeNode;
using detail::childPath;
using detail::indexPath;
using detail::locate;
using detail::typeName;
using ScalarType = TreeNode::ScalarType;

constexpr qint64 kMaxKeyFileBytes = 1024 * 1024;

// Thrown inside the reader only; parsePolicy turns it back into a Result.
struct LoadFailure {
    Error error;
};

// RFC 3339 date ("2026-12-31", the end of that day in UTC) or instant ("2026-12-31T18:00:00Z").
std::optional<std::pair<QDateTime, bool>> parseExpiry(const QString& text)
{
    static const QRegularExpression datePattern(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    static const QRegularExpression instantPattern(QStringLiteral(
        "^(\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d+))?([Zz]|[+-]\\d{2}:\\d{2})$"));
    if (datePattern.match(text).hasMatch()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        return std::pair{QDateTime(date.addDays(1), QTime(0, 0), Qt::UTC), true};
    }
    const QRegularExpressionMatch m = instantPattern.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    // Qt reads milliseconds; RFC 3339 allows any number of fraction digits.
    QString normalized = m.captured(1).toUpper();
    if (m.hasCaptured(2))
        normalized += u'.' + QString(m.captured(2) + QStringLiteral("000")).left(3);
    const QString zone = m.captured(3).toUpper();
    normalized += zone;
    const QDateTime instant = QDateTime::fromString(normalized, Qt::ISODateWithMs);
    if (!instant.isValid())
        return std::nullopt;
    return std::pair{instant.toUTC(), false};
}

class PolicyReader final {
public:
    PolicyReader(const QString& sourceName, const LoadLimits& limits) : m_source(sourceName), m_limits(limits) {}

    Policy read(const TreeNode& root)
    {
        Policy policy;
        if (root.kind != TreeNode::Kind::Map)
            fail("ERR_POLICY_TYPE", root.line, QString(),
                 QStringLiteral("the policy must be a mapping, got %1").arg(typeName(root)));
        readVersion(root, policy);

        std::vector<std::pair<const TreeNode*, QString>> exceptionIssuers;
        readMap(root, QString(), Section::Root, [&](const FieldSpec& field, const QString& path, const TreeNode& value) {
                    const std::string_view key = field.name;
                    if (key == "name")
                        policy.name = string(value, path);
                    else if (key == "owner")
                        policy.owner = string(value, path);
                    else if (key == "revision")
                        policy.revision = static_cast<int>(integer(value, path, field));
                    else if (key == "defaults")
                        policy.defaults = rules(value, path);
                    else if (key == "issuers")
                        readIssuers(value, path, policy);
                    else if (key == "exceptions")
                        readExceptions(value, path, policy, exceptionIssuers);
                    else if (key == "delegation")
                        readDelegation(value, path, policy);
                    else if (key == "deployments")
                        readDeployments(value, path, policy);
                });

        // Exceptions may come before issuers in the file: check the references once all are read.
        for (const auto& [node, path] : exceptionIssuers) {
            const QString iss = QString::fromStdString(node->text);
            if (!policy.findIssuer(iss))
                fail("ERR_POLICY_UNKNOWN_ISSUER", node->line, path,
                     QStringLiteral("exception names issuer \"%1\", which the policy does not define").arg(iss));
        }
        policy.sourceLines = m_lines;
        return policy;
    }

    [[noreturn]] void fail(const char* code, int line, const QString& path, const QString& message) const
    {
        throw LoadFailure{Error{QString::fromLatin1(code), message, locate(m_source, line, path)}};
    }

private:
    using FieldHandler = std::function<void(const FieldSpec&, const QString&, const TreeNode&)>;

    void readVersion(const TreeNode& root, Policy& policy)
    {
        for (const auto& [key, value] : root.members) {
            if (key.text != "jwt_policy")
                continue;
            if (value.kind != TreeNode::Kind::Scalar || value.scalarType() != ScalarType::Integer)
                fail("ERR_POLICY_TYPE", key.line, QStringLiteral("jwt_policy"),
                     QStringLiteral("expected an integer format version, got %1").arg(typeName(value)));
            const qint64 version = decimal(value, QStringLiteral("jwt_policy"));
            if (version > kFormatVersion)
                fail("ERR_POLICY_VERSION", key.line, QStringLiteral("jwt_policy"),
                     QStringLiteral("written for format %1; this build reads format %2").arg(version).arg(kFormatVersion));
            if (version < kFormatVersion)
                fail("ERR_POLICY_VERSION", key.line, QStringLiteral("jwt_policy"),
                     QStringLiteral("format %1 does not exist; this build reads format %2").arg(version).arg(kFormatVersion));
            policy.formatVersion = static_cast<int>(version);
            return;
        }
        fail("ERR_POLICY_VERSION", root.line, QStringLiteral("jwt_policy"),
             QStringLiteral("jwt_policy is missing: a policy file starts with \"jwt_policy: %1\"").arg(kFormatVersion));
    }

    void note(const QString& path, int line)
    {
        if (line > 0)
            m_lines.insert(path, line);
    }

    // Walks a mapping: refuses duplicate keys and keys the field table does not list for `section`,
    // records each field's line, and hands every value to `handler` with its field.
    void readMap(const TreeNode& node, const QString& path, Section section, const FieldHandler& handler)
    {
        expectMap(node, path);
        QHash<QString, int> seen;
        for (const auto& [key, value] : node.members) {
            const QString name = QString::fromStdString(key.text);
            const QString fieldPath = childPath(path, key.text);
            if (auto it = seen.constFind(name); it != seen.constEnd())
                fail("ERR_POLICY_DUPLICATE_KEY", key.line, fieldPath,
                     QStringLiteral("\"%1\" appears twice in this mapping (first on line %2)").arg(name).arg(*it));
            seen.insert(name, key.line);
            const FieldSpec* spec = findField(section, key.text);
            if (!spec) {
                QStringList names;
                for (const FieldSpec& candidate : fieldsOf(section))
                    names << fieldName(candidate);
                fail("ERR_POLICY_UNKNOWN_FIELD", key.line, fieldPath,
                     QStringLiteral("unknown field \"%1\" (allowed here: %2)").arg(name, names.join(QStringLiteral(", "))));
            }
            note(fieldPath, key.line);
            handler(*spec, fieldPath, value);
        }
    }

    void expectMap(const TreeNode& node, const QString& path) const
    {
        if (node.kind != TreeNode::Kind::Map)
            fail("ERR_POLICY_TYPE", node.line, path, QStringLiteral("expected a mapping, got %1").arg(typeName(node)));
    }

    void expectSequence(const TreeNode& node, const QString& path) const
    {
        if (node.kind != TreeNode::Kind::Sequence)
            fail("ERR_POLICY_TYPE", node.line, path, QStringLiteral("expected a list, got %1").arg(typeName(node)));
    }

    QString string(const TreeNode& node, const QString& path) const
    {
        if (node.kind != TreeNode::Kind::Scalar || node.scalarType() != ScalarType::String)
            fail("ERR_POLICY_TYPE", node.line, path,
                 QStringLiteral("expected a string, got %1%2")
                     .arg(typeName(node), node.kind == TreeNode::Kind::Scalar ? QStringLiteral(" (quote it to make it a string)")
                                                                              : QString()));
        return QString::fromStdString(node.text);
    }

    QString nonEmptyString(const TreeNode& node, const QString& path) const
    {
        QString s = string(node, path);
        if (s.isEmpty())
            fail("ERR_POLICY_VALUE", node.line, path, QStringLiteral("must not be empty"));
        return s;
    }

    // A decimal integer of any size qint64 holds.
    qint64 decimal(const TreeNode& node, const QString& path) const
    {
        if (node.kind != TreeNode::Kind::Scalar || node.scalarType() != ScalarType::Integer)
            fail("ERR_POLICY_TYPE", node.line, path, QStringLiteral("expected an integer, got %1").arg(typeName(node)));
        std::string_view text = node.text;
        if (!text.empty() && text.front() == '+')
            text.remove_prefix(1);
        qint64 value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
        if (ec == std::errc::result_out_of_range)
            fail("ERR_POLICY_RANGE", node.line, path, QStringLiteral("the number is too large"));
        if (ec != std::errc() || end != text.data() + text.size())
            fail("ERR_POLICY_TYPE", node.line, path, QStringLiteral("expected a decimal integer"));
        return value;
    }

    // An integer within the field's range from the table.
    qint64 integer(const TreeNode& node, const QString& path, const FieldSpec& field) const
    {
        const qint64 value = decimal(node, path);
        if (const QString problem = rangeProblem(field, value); !problem.isEmpty())
            fail("ERR_POLICY_RANGE", node.line, path, problem);
        return value;
    }

    // One of the field's words from the table.
    QString choice(const TreeNode& node, const QString& path, const FieldSpec& field) const
    {
        QString s = string(node, path);
        const QStringList choices = choicesOf(field);
        if (!choices.contains(s))
            fail("ERR_POLICY_VALUE", node.line, path,
                 QStringLiteral("\"%1\" is not one of: %2").arg(s, choices.join(QStringLiteral(", "))));
        return s;
    }

    bool boolean(const TreeNode& node, const QString& path) const
    {
        if (node.kind != TreeNode::Kind::Scalar || node.scalarType() != ScalarType::Bool)
            fail("ERR_POLICY_TYPE", node.line, path, QStringLiteral("expected true or false, got %1").arg(typeName(node)));
        return node.text.front() == 't' || node.text.front() == 'T';
    }

    QStringList stringList(const TreeNode& node, const QString& path)
    {
        expectSequence(node, path);
        QStringList list;
        list.reserve(static_cast<qsizetype>(node.items.size()));
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const QString itemPath = indexPath(path, static_cast<qsizetype>(i));
            note(itemPath, node.items[i].line);
            list << nonEmptyString(node.items[i], itemPath);
        }
        return list;
    }

    Rules rules(const TreeNode& node, const QString& path)
    {
        Rules r;
        readMap(node, path, Section::Rules, [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
                    const std::string_view key = f.name;
                    if (key == "algorithms")
                        r.algorithms = stringList(v, p);
                    else if (key == "clock_skew_seconds")
                        r.clockSkewSeconds = static_cast<int>(integer(v, p, f));
                    else if (key == "max_lifetime_seconds")
                        r.maxLifetimeSeconds = integer(v, p, f);
                    else if (key == "required_claims")
                        r.requiredClaims = stringList(v, p);
                    else if (key == "allowed_headers")
                        r.allowedHeaders = stringList(v, p);
                    else if (key == "allowed_types")
                        r.allowedTypes = stringList(v, p);
                    else if (key == "require_type")
                        r.requireType = boolean(v, p);
                    else if (key == "require_kid")
                        r.requireKid = boolean(v, p);
                    else if (key == "max_token_bytes")
                        r.maxTokenBytes = integer(v, p, f);
                });
        return r;
    }

    // An inline JWKS kept as JSON for saving and for the key parser. JWK members are open (RFC 7517),
    // so nothing inside a key is checked against a field list here; the key parser judges them.
    QJsonObject jwksObject(const TreeNode& node, const QString& path)
    {
        bool hasKeys = false;
        readMap(node, path, Section::Jwks, [&](const FieldSpec&, const QString& p, const TreeNode& v) {
            expectSequence(v, p);
            hasKeys = true;
            if (static_cast<qint64>(v.items.size()) > m_limits.maxKeysPerIssuer)
                fail("ERR_POLICY_LIMIT", v.line, p,
                     QStringLiteral("%1 keys; at most %2 keys per issuer are accepted")
                         .arg(v.items.size())
                         .arg(m_limits.maxKeysPerIssuer));
            for (std::size_t i = 0; i < v.items.size(); ++i) {
                const QString keyPath = indexPath(p, static_cast<qsizetype>(i));
                note(keyPath, v.items[i].line);
                expectMap(v.items[i], keyPath);
            }
        });
        if (!hasKeys)
            fail("ERR_POLICY_MISSING_FIELD", node.line, path + QStringLiteral(".keys"),
                 QStringLiteral("a JWKS needs its \"keys\" list"));
        return toJson(node, path).toObject();
    }

    QJsonValue toJson(const TreeNode& node, const QString& path) const
    {
        switch (node.kind) {
        case TreeNode::Kind::Null:
            return QJsonValue(QJsonValue::Null);
        case TreeNode::Kind::Sequence: {
            QJsonArray array;
            for (std::size_t i = 0; i < node.items.size(); ++i)
                array.append(toJson(node.items[i], indexPath(path, static_cast<qsizetype>(i))));
            return array;
        }
        case TreeNode::Kind::Map: {
            QJsonObject object;
            for (const auto& [key, value] : node.members) {
                const QString name = QString::fromStdString(key.text);
                if (object.contains(name))
                    fail("ERR_POLICY_DUPLICATE_KEY", key.line, childPath(path, key.text),
                         QStringLiteral("\"%1\" appears twice in this object").arg(name));
                object.insert(name, toJson(value, childPath(path, key.text)));
            }
            return object;
        }
        case TreeNode::Kind::Scalar:
            break;
        }
        switch (node.scalarType()) {
        case ScalarType::Null:
            return QJsonValue(QJsonValue::Null);
        case ScalarType::Bool:
            return QJsonValue(node.text.front() == 't' || node.text.front() == 'T');
        case ScalarType::Integer:
        case ScalarType::Float: {
            bool ok = false;
            const double d = QString::fromStdString(node.text).toDouble(&ok);
            if (!ok)
                fail("ERR_POLICY_TYPE", node.line, path, QStringLiteral("a number JSON cannot represent"));
            return QJsonValue(d);
        }
        case ScalarType::String:
            break;
        }
        return QJsonValue(QString::fromStdString(node.text));
    }

    KeySources keySources(const TreeNode& node, const QString& path, bool exceptionKeys)
    {
        KeySources keys;
        const auto handler = [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
            const std::string_view key = f.name;
            if (key == "jwks")
                keys.jwks = jwksObject(v, p);
            else if (key == "jwks_file")
                keys.jwksFile = nonEmptyString(v, p);
            else if (key == "pem_files")
                keys.pemFiles = stringList(v, p);
            else if (key == "jwks_uri")
                keys.jwksUri = nonEmptyString(v, p);
            else if (key == "test_jwks")
                keys.testJwks = jwksObject(v, p);
            else if (key == "refresh")
                keys.refresh = refresh(v, p);
        };
        readMap(node, path, exceptionKeys ? Section::ExceptionKeys : Section::Keys, handler);
        return keys;
    }

    KeyRefresh refresh(const TreeNode& node, const QString& path)
    {
        KeyRefresh r;
        readMap(node, path, Section::Refresh, [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
                    const std::string_view key = f.name;
                    if (key == "cache_seconds")
                        r.cacheSeconds = integer(v, p, f);
                    else if (key == "max_stale_seconds")
                        r.maxStaleSeconds = integer(v, p, f);
                    else if (key == "refetch_on_unknown_kid")
                        r.refetchOnUnknownKid = boolean(v, p);
                    else if (key == "cooldown_seconds")
                        r.cooldownSeconds = integer(v, p, f);
                });
        return r;
    }

    void readIssuers(const TreeNode& node, const QString& path, Policy& policy)
    {
        expectSequence(node, path);
        // Checked before any issuer is read: a hostile file must not make us build a huge model.
        if (static_cast<qint64>(node.items.size()) > m_limits.maxIssuers)
            fail("ERR_POLICY_LIMIT", node.line, path,
                 QStringLiteral("%1 issuers; at most %2 are accepted").arg(node.items.size()).arg(m_limits.maxIssuers));
        QHash<QString, qsizetype> seen;
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const TreeNode& item = node.items[i];
            const QString itemPath = indexPath(path, static_cast<qsizetype>(i));
            note(itemPath, item.line);
            Issuer issuer;
            bool hasIssuer = false;
            int issuerLine = item.line;
            readMap(item, itemPath, Section::Issuer, [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
                        const std::string_view key = f.name;
                        if (key == "issuer") {
                            issuer.issuer = nonEmptyString(v, p);
                            hasIssuer = true;
                            issuerLine = v.line;
                        } else if (key == "trust_domain") {
                            issuer.trustDomain = string(v, p);
                        } else if (key == "audiences") {
                            issuer.audiences = stringList(v, p);
                        } else if (key == "subjects") {
                            issuer.subjects = stringList(v, p);
                        } else if (key == "keys") {
                            issuer.keys = keySources(v, p, false);
                        } else if (key == "overrides") {
                            issuer.overrides = rules(v, p);
                        }
                    });
            if (!hasIssuer)
                fail("ERR_POLICY_MISSING_FIELD", item.line, itemPath + QStringLiteral(".issuer"),
                     QStringLiteral("every issuer entry needs \"issuer\""));
            if (auto it = seen.constFind(issuer.issuer); it != seen.constEnd())
                fail("ERR_POLICY_DUPLICATE_ISSUER", issuerLine, itemPath + QStringLiteral(".issuer"),
                     QStringLiteral("issuer \"%1\" is already defined by issuers[%2]").arg(issuer.issuer).arg(*it));
            seen.insert(issuer.issuer, static_cast<qsizetype>(i));
            policy.issuers.append(std::move(issuer));
        }
    }

    void readExceptions(const TreeNode& node, const QString& path, Policy& policy,
                        std::vector<std::pair<const TreeNode*, QString>>& issuerRefs)
    {
        expectSequence(node, path);
        QHash<QString, qsizetype> seen;
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const TreeNode& item = node.items[i];
            const QString itemPath = indexPath(path, static_cast<qsizetype>(i));
            note(itemPath, item.line);
            PolicyException exception;
            bool hasId = false;
            bool hasExpires = false;
            bool hasIssuer = false;
            int idLine = item.line;
            readMap(item, itemPath, Section::Exception, [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
                        const std::string_view key = f.name;
                        if (key == "id") {
                            exception.id = nonEmptyString(v, p);
                            hasId = true;
                            idLine = v.line;
                        } else if (key == "owner") {
                            exception.owner = string(v, p);
                        } else if (key == "reason") {
                            exception.reason = string(v, p);
                        } else if (key == "expires") {
                            const QString text = string(v, p);
                            const auto expiry = parseExpiry(text);
                            if (!expiry)
                                fail("ERR_POLICY_DATE", v.line, p,
                                     QStringLiteral("\"%1\" is neither a date (2026-12-31) nor an RFC 3339 instant "
                                                    "(2026-12-31T18:00:00Z)")
                                         .arg(text));
                            exception.expires = expiry->first;
                            exception.expiresIsDate = expiry->second;
                            hasExpires = true;
                        } else if (key == "issuer") {
                            exception.issuer = nonEmptyString(v, p);
                            issuerRefs.emplace_back(&v, p);
                            hasIssuer = true;
                        } else if (key == "allow") {
                            exception.allow = allow(v, p);
                        }
                    });
            const auto require = [&](bool present, const char* field, const QString& why) {
                if (!present)
                    fail("ERR_POLICY_MISSING_FIELD", item.line, childPath(itemPath, field), why);
            };
            require(hasId, "id", QStringLiteral("every exception needs an \"id\""));
            require(hasExpires, "expires",
                    QStringLiteral("every exception needs \"expires\": a loosening must end (a date or an RFC 3339 instant)"));
            require(hasIssuer, "issuer", QStringLiteral("every exception needs the \"issuer\" it loosens"));
            if (auto it = seen.constFind(exception.id); it != seen.constEnd())
                fail("ERR_POLICY_DUPLICATE_EXCEPTION", idLine, itemPath + QStringLiteral(".id"),
                     QStringLiteral("exception id \"%1\" is already used by exceptions[%2]").arg(exception.id).arg(*it));
            seen.insert(exception.id, static_cast<qsizetype>(i));
            policy.exceptions.append(std::move(exception));
        }
    }

    ExceptionAllow allow(const TreeNode& node, const QString& path)
    {
        ExceptionAllow a;
        readMap(node, path, Section::Allow, [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
                    const std::string_view key = f.name;
                    if (key == "algorithms")
                        a.algorithms = stringList(v, p);
                    else if (key == "headers")
                        a.headers = stringList(v, p);
                    else if (key == "clock_skew_seconds")
                        a.clockSkewSeconds = static_cast<int>(integer(v, p, f));
                    else if (key == "max_lifetime_seconds")
                        a.maxLifetimeSeconds = integer(v, p, f);
                    else if (key == "kids")
                        a.kids = stringList(v, p);
                    else if (key == "keys")
                        a.keys = keySources(v, p, true);
                });
        return a;
    }

    void readDelegation(const TreeNode& node, const QString& path, Policy& policy)
    {
        Delegation d;
        readMap(node, path, Section::Delegation, [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
                    const std::string_view key = f.name;
                    if (key == "act") {
                        d.act = choice(v, p, f) == u"allow" ? Delegation::Act::Allow : Delegation::Act::Reject;
                    } else if (key == "allowed_actors") {
                        d.allowedActors = stringList(v, p);
                    } else if (key == "max_chain") {
                        d.maxChain = static_cast<int>(integer(v, p, f));
                    } else if (key == "nested") {
                        d.nested = choice(v, p, f) == u"verify" ? Delegation::Nested::Verify : Delegation::Nested::Reject;
                    } else if (key == "max_nested_depth") {
                        d.maxNestedDepth = static_cast<int>(integer(v, p, f));
                    }
                });
        policy.delegation = d;
        policy.hasDelegation = true;
    }

    void readDeployments(const TreeNode& node, const QString& path, Policy& policy)
    {
        expectSequence(node, path);
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const TreeNode& item = node.items[i];
            const QString itemPath = indexPath(path, static_cast<qsizetype>(i));
            note(itemPath, item.line);
            Deployment deployment;
            bool hasTarget = false;
            readMap(item, itemPath, Section::Deployment, [&](const FieldSpec& f, const QString& p, const TreeNode& v) {
                        const std::string_view key = f.name;
                        if (key == "target") {
                            deployment.target = choice(v, p, f);
                            hasTarget = true;
                        } else if (key == "only_verifier") {
                            deployment.onlyVerifier = boolean(v, p);
                        }
                    });
            if (!hasTarget)
                fail("ERR_POLICY_MISSING_FIELD", item.line, itemPath + QStringLiteral(".target"),
                     QStringLiteral("every deployment needs a \"target\""));
            policy.deployments.append(deployment);
        }
    }

    QString m_source;
    LoadLimits m_limits;
    SourceLines m_lines;
};

// ---- keys ----

using Locator = std::function<QString(const QString& path)>;

Error keyError(const Locator& where, const QString& path, const Error& cause)
{
    const QString message = cause.location.isEmpty() ? cause.message : cause.location + QStringLiteral(": ") + cause.message;
    return Error{QStringLiteral("ERR_POLICY_KEY"), message, where(path)};
}

Result<QByteArray> readKeyFile(const QString& baseDir, const QString& relative)
{
    const QString path = QDir(baseDir.isEmpty() ? QDir::currentPath() : baseDir).filePath(relative);
    QFile file(path);
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("ERR_KEY_FILE"), QStringLiteral("key file %1 does not exist").arg(relative), QString()};
    if (info.isDir())
        return Error{QStringLiteral("ERR_KEY_FILE"), QStringLiteral("key file %1 is a directory").arg(relative), QString()};
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("ERR_KEY_FILE"),
                     QStringLiteral("cannot read key file %1: %2").arg(relative, file.errorString()), QString()};
    if (file.size() > kMaxKeyFileBytes)
        return Error{QStringLiteral("ERR_KEY_FILE"),
                     QStringLiteral("key file %1 is larger than %2 bytes").arg(relative).arg(kMaxKeyFileBytes), QString()};
    return util::readAtMost(file, kMaxKeyFileBytes);
}

Result<QList<keys::Key>> resolveSources(const KeySources& sources, const QString& baseDir, const QString& path,
                                        const Locator& where)
{
    QList<keys::Key> resolved;
    if (sources.jwks) {
        const QByteArray json = QJsonDocument(*sources.jwks).toJson(QJsonDocument::Compact);
        auto parsed = keys::parseJwks(json, QStringLiteral("inline jwks"));
        if (!parsed)
            return keyError(where, path + QStringLiteral(".jwks"), parsed.error());
        resolved += parsed.value();
    }
    if (!sources.jwksFile.isEmpty()) {
        const QString fieldPath = path + QStringLiteral(".jwks_file");
        auto data = readKeyFile(baseDir, sources.jwksFile);
        if (!data)
            return keyError(where, fieldPath, data.error());
        auto parsed = keys::parseJwks(data.value(), sources.jwksFile);
        if (!parsed)
            return keyError(where, fieldPath, parsed.error());
        resolved += parsed.value();
    }
    for (qsizetype i = 0; i < sources.pemFiles.size(); ++i) {
        const QString fieldPath = indexPath(path + QStringLiteral(".pem_files"), i);
        auto data = readKeyFile(baseDir, sources.pemFiles.at(i));
        if (!data)
            return keyError(where, fieldPath, data.error());
        auto parsed = keys::parsePem(data.value(), sources.pemFiles.at(i));
        if (!parsed)
            return keyError(where, fieldPath, parsed.error());
        resolved += parsed.value();
    }
    if (sources.testJwks) {
        const QByteArray json = QJsonDocument(*sources.testJwks).toJson(QJsonDocument::Compact);
        auto parsed = keys::parseJwks(json, QStringLiteral("test_jwks"));
        if (!parsed)
            return keyError(where, path + QStringLiteral(".test_jwks"), parsed.error());
        for (keys::Key key : parsed.value()) {
            key.testKey = true;
            resolved.append(std::move(key));
        }
    }
    return resolved;
}

// Below this many issuers the threads would cost more than they save (and small policies, the
// tests' and the fuzzers', stay on one thread).
constexpr qsizetype kParallelKeyIssuers = 512;

// Every issuer's keys resolved, by index. Each issuer's import is independent of the others', and at
// estate scale (thousands of issuers, each key an OpenSSL import and check) it is the largest part
// of a load, so it is spread over the cores. The caller reads the results in document order, so the
// failure reported is the first one, as with one thread.
QString issuerKeysPath(qsizetype i) { return indexPath(QStringLiteral("issuers"), i) + QStringLiteral(".keys"); }

std::vector<std::optional<Result<QList<keys::Key>>>> resolveIssuerKeys(const Policy& policy, const QString& baseDir,
                                                                       const Locator& where)
{
    const qsizetype count = policy.issuers.size();
    std::vector<std::optional<Result<QList<keys::Key>>>> results(static_cast<std::size_t>(count));
    auto resolveStride = [&](qsizetype first, qsizetype stride) {
        for (qsizetype i = first; i < count; i += stride)
            results[static_cast<std::size_t>(i)] =
                resolveSources(policy.issuers.at(i).keys, baseDir, issuerKeysPath(i), where);
    };
    const qsizetype workers =
        count < kParallelKeyIssuers ? 1 : std::clamp<qsizetype>(QThread::idealThreadCount(), 1, 8);
    if (workers == 1) {
        resolveStride(0, 1);
        return results;
    }
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(workers));
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(workers - 1));
    for (qsizetype w = 1; w < workers; ++w) {
        threads.emplace_back([&resolveStride, &failures, w, workers] {
            try {
                resolveStride(w, workers);
            } catch (...) {
                failures[static_cast<std::size_t>(w)] = std::current_exception();
            }
        });
    }
    try {
        resolveStride(0, workers);
    } catch (...) {
        failures[0] = std::current_exception();
    }
    for (std::thread& t : threads)
        t.join();
    // An exception (out of memory) in any worker surfaces here, where the loader's handlers expect it.
    for (const std::exception_ptr& failure : failures) {
        if (failure)
            std::rethrow_exception(failure);
    }
    return results;
}

Status resolveAll(Policy& policy, const QString& baseDir, int maxKeysPerIssuer, const Locator& where)
{
    // Resolve into copies first: a failure leaves `policy` as it was.
    std::vector<std::optional<Result<QList<keys::Key>>>> resolvedIssuers = resolveIssuerKeys(policy, baseDir, where);
    QList<QList<keys::Key>> issuerKeys;
    issuerKeys.reserve(policy.issuers.size());
    for (qsizetype i = 0; i < policy.issuers.size(); ++i) {
        Result<QList<keys::Key>>& keys = *resolvedIssuers[static_cast<std::size_t>(i)];
        if (!keys)
            return keys.error();
        if (keys->size() > maxKeysPerIssuer)
            return Error{QStringLiteral("ERR_POLICY_LIMIT"),
                         QStringLiteral("%1 keys; at most %2 keys per issuer are accepted").arg(keys->size()).arg(maxKeysPerIssuer),
                         where(issuerKeysPath(i))};
        issuerKeys.append(std::move(keys.value()));
    }
    QList<QList<keys::Key>> exceptionKeys;
    for (qsizetype i = 0; i < policy.exceptions.size(); ++i) {
        const auto& allowKeys = policy.exceptions.at(i).allow.keys;
        if (!allowKeys) {
            exceptionKeys.append(QList<keys::Key>());
            continue;
        }
        const QString path = indexPath(QStringLiteral("exceptions"), i) + QStringLiteral(".allow.keys");
        auto keys = resolveSources(*allowKeys, baseDir, path, where);
        if (!keys)
            return keys.error();
        if (keys->size() > maxKeysPerIssuer)
            return Error{QStringLiteral("ERR_POLICY_LIMIT"),
                         QStringLiteral("%1 keys; at most %2 keys per exception are accepted").arg(keys->size()).arg(maxKeysPerIssuer),
                         where(path)};
        exceptionKeys.append(keys.value());
    }
    for (qsizetype i = 0; i < policy.issuers.size(); ++i)
        policy.issuers[i].keys.resolved = issuerKeys.at(i);
    for (qsizetype i = 0; i < policy.exceptions.size(); ++i) {
        if (policy.exceptions[i].allow.keys)
            policy.exceptions[i].allow.keys->resolved = exceptionKeys.at(i);
    }
    return Ok{};
}

// The line of `path`, or of the nearest enclosing field that has one.
int lineFor(const SourceLines& lines, QString path)
{
    while (!path.isEmpty()) {
        if (auto it = lines.constFind(path); it != lines.constEnd())
            return *it;
        const qsizetype cut = std::max(path.lastIndexOf(u'.'), path.lastIndexOf(u'['));
        if (cut <= 0)
            break;
        path.truncate(cut);
    }
    return 0;
}

Error readError(const QString& path, const QString& message)
{
    return Error{QStringLiteral("ERR_POLICY_READ"), message, path};
}

} // namespace

Format formatForPath(const QString& path)
{
    return path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive) ? Format::Json : Format::Yaml;
}

namespace {

// parsePolicy, and (without reading key files) the source lines of a text the writer produced.
Result<Policy> readPolicy(const QByteArray& text, Format format, const QString& sourceName, const QString& baseDir,
                          const LoadLimits& limits, bool resolveKeyFiles)
{
    if (text.size() > limits.maxFileBytes)
        return Error{QStringLiteral("ERR_POLICY_TOO_LARGE"),
                     QStringLiteral("the policy is %1 bytes; at most %2 are accepted").arg(text.size()).arg(limits.maxFileBytes),
                     sourceName};
    try {
        auto tree = format == Format::Json ? detail::readJsonTree(text, sourceName) : detail::readYamlTree(text, sourceName);
        if (!tree)
            return tree.error();
        PolicyReader reader(sourceName, limits);
        Policy policy = reader.read(tree.value());
        if (!resolveKeyFiles)
            return policy;
        const SourceLines& lines = policy.sourceLines;
        const Locator where = [&](const QString& path) { return locate(sourceName, lineFor(lines, path), path); };
        const Status keys = resolveAll(policy, baseDir, limits.maxKeysPerIssuer, where);
        if (!keys)
            return keys.error();
        return policy;
    } catch (const LoadFailure& failure) {
        return failure.error;
    } catch (const std::bad_alloc&) {
        return Error{QStringLiteral("ERR_POLICY_TOO_LARGE"), QStringLiteral("out of memory while reading the policy"),
                     sourceName};
    } catch (const std::exception& e) {
        return Error{QStringLiteral("ERR_POLICY_SYNTAX"),
                     QStringLiteral("the policy could not be read: %1").arg(QString::fromLocal8Bit(e.what())), sourceName};
    } catch (...) {
        return Error{QStringLiteral("ERR_POLICY_SYNTAX"), QStringLiteral("the policy could not be read"), sourceName};
    }
}

} // namespace

Result<Policy> parsePolicy(const QByteArray& text, Format format, const QString& sourceName, const QString& baseDir,
                           const LoadLimits& limits)
{
    return readPolicy(text, format, sourceName, baseDir, limits, /*resolveKeyFiles=*/true);
}

SourceLines sourceLinesOf(const QByteArray& text, Format format)
{
    const Result<Policy> policy = readPolicy(text, format, QString(), QString(), LoadLimits{}, /*resolveKeyFiles=*/false);
    return policy ? policy.value().sourceLines : SourceLines{};
}

Result<Policy> loadPolicyFile(const QString& path, const LoadLimits& limits)
{
    const QFileInfo info(path);
    if (!info.exists())
        return readError(path, QStringLiteral("the policy file does not exist"));
    if (info.isDir())
        return readError(path, QStringLiteral("this is a directory, not a policy file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return readError(path, QStringLiteral("cannot read the policy file: %1").arg(file.errorString()));
    // Refuse by size before reading or parsing anything.
    if (file.size() > limits.maxFileBytes)
        return Error{QStringLiteral("ERR_POLICY_TOO_LARGE"),
                     QStringLiteral("the policy file is %1 bytes; at most %2 are accepted").arg(file.size()).arg(limits.maxFileBytes),
                     path};
    const QByteArray text = util::readAtMost(file, limits.maxFileBytes);
    if (file.error() != QFileDevice::NoError)
        return readError(path, QStringLiteral("cannot read the policy file: %1").arg(file.errorString()));
    auto policy = parsePolicy(text, formatForPath(path), path, info.absolutePath(), limits);
    if (!policy)
        return policy;
    Policy loaded = std::move(policy).value();
    loaded.sourcePath = info.absoluteFilePath();
    return loaded;
}

Result<Policy> loadSamplePolicy()
{
    ensureCoreResources();
    const QString path = QStringLiteral(":/policies/sample.yaml");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return readError(path, QStringLiteral("the embedded sample policy is missing from this build"));
    return parsePolicy(file.readAll(), Format::Yaml, path, QStringLiteral(":/policies"));
}

Status savePolicyFile(const Policy& policy, const QString& path)
{
    return util::writeFileAtomically(path, serializePolicy(policy, formatForPath(path)),
                                     QStringLiteral("ERR_POLICY_WRITE"));
}

Status resolveKeys(Policy& policy, const QString& baseDir)
{
    const LoadLimits limits;
    const SourceLines& lines = policy.sourceLines;
    const QString source = policy.sourcePath;
    const Locator where = [&](const QString& path) { return locate(source, lineFor(lines, path), path); };
    try {
        return resolveAll(policy, baseDir, limits.maxKeysPerIssuer, where);
    } catch (const std::exception& e) {
        return Error{QStringLiteral("ERR_POLICY_KEY"),
                     QStringLiteral("the keys could not be read: %1").arg(QString::fromLocal8Bit(e.what())), source};
    }
}

} // namespace jwb::policy
