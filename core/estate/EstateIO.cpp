// SPDX-License-Identifier: Apache-2.0
// Reading an estate file: text -> tree (the policy loader's PolicyTree, so YAML and JSON mistakes
// read the same as in a policy) -> validated Estate. The estate is built in a local and returned
// only when everything, the policy and every referenced file included, checked out.

#include "estate/Estate.h"

#include "policy/PolicyIO.h"
#include "policy/PolicyTree.h"
#include "util/BoundedRead.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <charconv>
#include <cmath>
#include <exception>
#include <functional>
#include <initializer_list>
#include <limits>
#include <new>

namespace jwb::estate {

namespace {

using policy::detail::TreeNode;
using policy::detail::childPath;
using policy::detail::indexPath;
using policy::detail::locate;
using policy::detail::typeName;
using ScalarType = TreeNode::ScalarType;

constexpr qint64 kMaxKeyFileBytes = 1024 * 1024;
constexpr int kMaxRequestsCeiling = 100000;
constexpr int kMaxTimeoutSeconds = 300;
constexpr int kMaxMarginSeconds = 3600;
constexpr double kMaxRatePerSecond = 1000;

struct LoadFailure {
    Error error;
};

struct KindInfo {
    VerifierKind kind;
    const char16_t* name;
};
constexpr KindInfo kKinds[] = {
    {VerifierKind::Envoy, u"envoy"},     {VerifierKind::Istio, u"istio"}, {VerifierKind::Kong, u"kong"},
    {VerifierKind::Nginx, u"nginx"},     {VerifierKind::Opa, u"opa"},     {VerifierKind::Haproxy, u"haproxy"},
    {VerifierKind::Apache, u"apache"},   {VerifierKind::Service, u"service"},
};

class EstateReader final {
public:
    EstateReader(const QString& sourceName, const QString& baseDir, const EstateLimits& limits)
        : m_source(sourceName), m_baseDir(baseDir), m_limits(limits)
    {
    }

    Estate read(const TreeNode& root)
    {
        Estate estate;
        if (root.kind != TreeNode::Kind::Map)
            fail("ERR_ESTATE_TYPE", root.line, QString(),
                 QStringLiteral("the estate must be a mapping, got %1").arg(typeName(root)));
        readVersion(root);
        const TreeNode* policyNode = nullptr;
        const TreeNode* verifiersNode = nullptr;
        readMap(root, QString(), {"jwt_estate", "name", "owner", "policy", "verifiers"},
                [&](std::string_view key, const QString& path, const TreeNode& value) {
                    if (key == "name")
                        estate.name = string(value, path);
                    else if (key == "owner")
                        estate.owner = string(value, path);
                    else if (key == "policy")
                        policyNode = &value;
                    else if (key == "verifiers")
                        verifiersNode = &value;
                });
        if (!policyNode)
            fail("ERR_ESTATE_MISSING_FIELD", root.line, QStringLiteral("policy"),
                 QStringLiteral("the estate needs \"policy\": the policy file its verifiers enforce"));
        if (!verifiersNode)
            fail("ERR_ESTATE_MISSING_FIELD", root.line, QStringLiteral("verifiers"),
                 QStringLiteral("the estate needs \"verifiers\": a list of the verifiers of the chain"));
        // The policy first: every issuer and audience below is checked against it.
        readPolicy(*policyNode, estate);
        readVerifiers(*verifiersNode, QStringLiteral("verifiers"), estate);
        estate.sourceLines = m_lines;
        return estate;
    }

    [[noreturn]] void fail(const char* code, int line, const QString& path, const QString& message) const
    {
        throw LoadFailure{Error{QString::fromLatin1(code), message, locate(m_source, line, path)}};
    }

private:
    using FieldHandler = std::function<void(std::string_view, const QString&, const TreeNode&)>;

    void readVersion(const TreeNode& root)
    {
        for (const auto& [key, value] : root.members) {
            if (key.text != "jwt_estate")
                continue;
            if (value.kind != TreeNode::Kind::Scalar || value.scalarType() != ScalarType::Integer)
                fail("ERR_ESTATE_TYPE", key.line, QStringLiteral("jwt_estate"),
                     QStringLiteral("expected an integer format version, got %1").arg(typeName(value)));
            const qint64 version = integer(value, QStringLiteral("jwt_estate"), std::numeric_limits<qint64>::min(),
                                           std::numeric_limits<qint64>::max());
            if (version != kEstateFormatVersion)
                fail("ERR_ESTATE_VERSION", key.line, QStringLiteral("jwt_estate"),
                     QStringLiteral("format %1 is not one this build reads (it reads format %2)")
                         .arg(version)
                         .arg(kEstateFormatVersion));
            return;
        }
        fail("ERR_ESTATE_VERSION", root.line, QStringLiteral("jwt_estate"),
             QStringLiteral("jwt_estate is missing: an estate file starts with \"jwt_estate: %1\"").arg(kEstateFormatVersion));
    }

    void note(const QString& path, int line)
    {
        if (line > 0)
            m_lines.insert(path, line);
    }

    void readMap(const TreeNode& node, const QString& path, std::initializer_list<std::string_view> allowed,
                 const FieldHandler& handler)
    {
        if (node.kind != TreeNode::Kind::Map)
            fail("ERR_ESTATE_TYPE", node.line, path, QStringLiteral("expected a mapping, got %1").arg(typeName(node)));
        QHash<QString, int> seen;
        for (const auto& [key, value] : node.members) {
            const QString name = QString::fromStdString(key.text);
            const QString fieldPath = childPath(path, key.text);
            if (auto it = seen.constFind(name); it != seen.constEnd())
                fail("ERR_ESTATE_DUPLICATE_KEY", key.line, fieldPath,
                     QStringLiteral("\"%1\" appears twice in this mapping (first on line %2)").arg(name).arg(*it));
            seen.insert(name, key.line);
            bool known = false;
            for (std::string_view candidate : allowed)
                known = known || candidate == key.text;
            if (!known) {
                QStringList names;
                for (std::string_view candidate : allowed)
                    names << QString::fromLatin1(candidate.data(), static_cast<qsizetype>(candidate.size()));
                fail("ERR_ESTATE_UNKNOWN_FIELD", key.line, fieldPath,
                     QStringLiteral("unknown field \"%1\" (allowed here: %2)").arg(name, names.join(QStringLiteral(", "))));
            }
            note(fieldPath, key.line);
            handler(key.text, fieldPath, value);
        }
    }

    QString string(const TreeNode& node, const QString& path) const
    {
        if (node.kind != TreeNode::Kind::Scalar || node.scalarType() != ScalarType::String)
            fail("ERR_ESTATE_TYPE", node.line, path,
                 QStringLiteral("expected a string, got %1%2")
                     .arg(typeName(node), node.kind == TreeNode::Kind::Scalar ? QStringLiteral(" (quote it to make it a string)")
                                                                              : QString()));
        return QString::fromStdString(node.text);
    }

    QString nonEmptyString(const TreeNode& node, const QString& path) const
    {
        QString s = string(node, path);
        if (s.isEmpty())
            fail("ERR_ESTATE_VALUE", node.line, path, QStringLiteral("must not be empty"));
        return s;
    }

    qint64 integer(const TreeNode& node, const QString& path, qint64 min, qint64 max) const
    {
        if (node.kind != TreeNode::Kind::Scalar || node.scalarType() != ScalarType::Integer)
            fail("ERR_ESTATE_TYPE", node.line, path, QStringLiteral("expected an integer, got %1").arg(typeName(node)));
        std::string_view text = node.text;
        if (!text.empty() && text.front() == '+')
            text.remove_prefix(1);
        qint64 value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
        if (ec == std::errc::result_out_of_range)
            fail("ERR_ESTATE_RANGE", node.line, path, QStringLiteral("the number is too large"));
        if (ec != std::errc() || end != text.data() + text.size())
            fail("ERR_ESTATE_TYPE", node.line, path, QStringLiteral("expected a decimal integer"));
        if (value < min || value > max)
            fail("ERR_ESTATE_RANGE", node.line, path,
                 QStringLiteral("must be between %1 and %2 (got %3)").arg(min).arg(max).arg(value));
        return value;
    }

    double number(const TreeNode& node, const QString& path, double min, double max) const
    {
        const bool numeric = node.kind == TreeNode::Kind::Scalar &&
                             (node.scalarType() == ScalarType::Integer || node.scalarType() == ScalarType::Float);
        bool ok = false;
        const double value = numeric ? QString::fromStdString(node.text).toDouble(&ok) : 0.0;
        if (!numeric || !ok || !std::isfinite(value))
            fail("ERR_ESTATE_TYPE", node.line, path, QStringLiteral("expected a number, got %1").arg(typeName(node)));
        if (value < min || value > max)
            fail("ERR_ESTATE_RANGE", node.line, path,
                 QStringLiteral("must be between %1 and %2 (got %3)").arg(min).arg(max).arg(value));
        return value;
    }

    QStringList stringList(const TreeNode& node, const QString& path)
    {
        if (node.kind != TreeNode::Kind::Sequence)
            fail("ERR_ESTATE_TYPE", node.line, path, QStringLiteral("expected a list, got %1").arg(typeName(node)));
        QStringList list;
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const QString itemPath = indexPath(path, static_cast<qsizetype>(i));
            note(itemPath, node.items[i].line);
            list << nonEmptyString(node.items[i], itemPath);
        }
        return list;
    }

    QString resolve(const QString& relative) const
    {
        return QDir::cleanPath(QDir(m_baseDir.isEmpty() ? QDir::currentPath() : m_baseDir).absoluteFilePath(relative));
    }

    // A file the estate refers to must exist and be a readable file now, not when the probe runs.
    QString existingFile(const TreeNode& node, const QString& path, const QString& what)
    {
        const QString relative = nonEmptyString(node, path);
        QString absolute = resolve(relative); // not const: returned by move
        const QFileInfo info(absolute);
        if (!info.exists())
            fail("ERR_ESTATE_FILE", node.line, path, QStringLiteral("%1 %2 does not exist").arg(what, relative));
        if (!info.isFile())
            fail("ERR_ESTATE_FILE", node.line, path, QStringLiteral("%1 %2 is not a file").arg(what, relative));
        if (!info.isReadable())
            fail("ERR_ESTATE_FILE", node.line, path, QStringLiteral("%1 %2 is not readable").arg(what, relative));
        return absolute;
    }

    void readPolicy(const TreeNode& node, Estate& estate)
    {
        const QString path = QStringLiteral("policy");
        const QString absolute = existingFile(node, path, QStringLiteral("the policy file"));
        auto loaded = policy::loadPolicyFile(absolute);
        if (!loaded)
            fail("ERR_ESTATE_POLICY", node.line, path,
                 QStringLiteral("the policy does not load: %1").arg(loaded.error().toString()));
        if (loaded->issuers.isEmpty())
            fail("ERR_ESTATE_POLICY", node.line, path, QStringLiteral("the policy defines no issuer"));
        estate.policyPath = absolute;
        estate.policy = std::move(loaded).value();
    }

    void readVerifiers(const TreeNode& node, const QString& path, Estate& estate)
    {
        if (node.kind != TreeNode::Kind::Sequence)
            fail("ERR_ESTATE_TYPE", node.line, path, QStringLiteral("expected a list, got %1").arg(typeName(node)));
        if (node.items.empty())
            fail("ERR_ESTATE_VALUE", node.line, path, QStringLiteral("an estate lists at least one verifier"));
        if (static_cast<qint64>(node.items.size()) > m_limits.maxVerifiers)
            fail("ERR_ESTATE_LIMIT", node.line, path,
                 QStringLiteral("%1 verifiers; at most %2 are accepted").arg(node.items.size()).arg(m_limits.maxVerifiers));
        QHash<QString, qsizetype> seen;
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const TreeNode& item = node.items[i];
            const QString itemPath = indexPath(path, static_cast<qsizetype>(i));
            note(itemPath, item.line);
            Verifier verifier = readVerifier(item, itemPath, estate.policy);
            if (auto it = seen.constFind(verifier.name); it != seen.constEnd())
                fail("ERR_ESTATE_DUPLICATE_VERIFIER", m_lines.value(itemPath + QStringLiteral(".name"), item.line),
                     itemPath + QStringLiteral(".name"),
                     QStringLiteral("verifier \"%1\" is already defined by verifiers[%2]").arg(verifier.name).arg(*it));
            seen.insert(verifier.name, static_cast<qsizetype>(i));
            estate.verifiers.append(std::move(verifier));
        }
    }

    Verifier readVerifier(const TreeNode& item, const QString& itemPath, const policy::Policy& policy)
    {
        Verifier v;
        const TreeNode* kindNode = nullptr;
        const TreeNode* probeNode = nullptr;
        const TreeNode* configNode = nullptr;
        const TreeNode* issuersNode = nullptr;
        bool hasName = false;
        readMap(item, itemPath, {"name", "kind", "owner", "issuers", "probe", "config", "library"},
                [&](std::string_view key, const QString& p, const TreeNode& value) {
                    if (key == "name") {
                        v.name = nonEmptyString(value, p);
                        hasName = true;
                    } else if (key == "kind") {
                        kindNode = &value;
                    } else if (key == "owner") {
                        v.owner = string(value, p);
                    } else if (key == "issuers") {
                        issuersNode = &value;
                    } else if (key == "probe") {
                        probeNode = &value;
                    } else if (key == "config") {
                        configNode = &value;
                    } else if (key == "library") {
                        v.library = library(value, p);
                    }
                });
        const auto require = [&](bool present, const char* field, const QString& why) {
            if (!present)
                fail("ERR_ESTATE_MISSING_FIELD", item.line, childPath(itemPath, field), why);
        };
        require(hasName, "name", QStringLiteral("every verifier needs a \"name\""));
        require(kindNode != nullptr, "kind",
                QStringLiteral("every verifier needs a \"kind\" (%1)").arg(verifierKindNames().join(QStringLiteral(", "))));
        require(issuersNode != nullptr, "issuers",
                QStringLiteral("every verifier needs \"issuers\": the policy issuers whose tokens it accepts"));

        const QString kindPath = itemPath + QStringLiteral(".kind");
        const QString kindText = string(*kindNode, kindPath);
        const auto kind = verifierKindFromName(kindText);
        if (!kind)
            fail("ERR_ESTATE_KIND", kindNode->line, kindPath,
                 QStringLiteral("\"%1\" is not one of: %2").arg(kindText, verifierKindNames().join(QStringLiteral(", "))));
        v.kind = *kind;

        const QString issuersPath = itemPath + QStringLiteral(".issuers");
        v.issuers = stringList(*issuersNode, issuersPath);
        if (v.issuers.isEmpty())
            fail("ERR_ESTATE_VALUE", issuersNode->line, issuersPath, QStringLiteral("list at least one issuer"));
        for (qsizetype i = 0; i < v.issuers.size(); ++i) {
            const QString p = indexPath(issuersPath, i);
            if (!policy.findIssuer(v.issuers.at(i)))
                fail("ERR_ESTATE_UNKNOWN_ISSUER", m_lines.value(p, issuersNode->line), p,
                     QStringLiteral("issuer \"%1\" is not an issuer of the policy").arg(v.issuers.at(i)));
            if (v.issuers.indexOf(v.issuers.at(i)) != i)
                fail("ERR_ESTATE_VALUE", m_lines.value(p, issuersNode->line), p,
                     QStringLiteral("issuer \"%1\" is listed twice").arg(v.issuers.at(i)));
        }

        if (configNode) {
            const QString p = itemPath + QStringLiteral(".config");
            if (!driftSourceFor(v.kind))
                fail("ERR_ESTATE_VALUE", configNode->line, p,
                     QStringLiteral("drift reads envoy, istio and kong configurations; a %1 verifier has none to compare")
                         .arg(verifierKindName(v.kind)));
            v.configPath = existingFile(*configNode, p, QStringLiteral("the configuration file"));
        }
        if (v.library && v.kind != VerifierKind::Service)
            fail("ERR_ESTATE_VALUE", m_lines.value(itemPath + QStringLiteral(".library"), item.line),
                 itemPath + QStringLiteral(".library"),
                 QStringLiteral("\"library\" describes a service; a %1 verifier is checked by its probe and config")
                     .arg(verifierKindName(v.kind)));
        if (probeNode)
            v.probe = probeSettings(*probeNode, itemPath + QStringLiteral(".probe"), v, policy);
        return v;
    }

    LibraryRef library(const TreeNode& node, const QString& path)
    {
        LibraryRef lib;
        bool hasName = false;
        bool hasVersion = false;
        readMap(node, path, {"name", "version", "ecosystem", "export"}, [&](std::string_view key, const QString& p, const TreeNode& v) {
            if (key == "name") {
                lib.name = nonEmptyString(v, p);
                hasName = true;
            } else if (key == "version") {
                // A version written unquoted (9.0) reads as a number; the text is what was meant.
                const bool numeric = v.kind == TreeNode::Kind::Scalar &&
                                     (v.scalarType() == ScalarType::Integer || v.scalarType() == ScalarType::Float);
                lib.version = numeric ? QString::fromStdString(v.text) : nonEmptyString(v, p);
                QStringView digits = lib.version;
                if (digits.startsWith(u'v') || digits.startsWith(u'V'))
                    digits = digits.mid(1);
                if (digits.isEmpty() || !digits.front().isDigit())
                    fail("ERR_ESTATE_VALUE", v.line, p,
                         QStringLiteral("\"%1\" is not a version (it starts with a digit, or v and a digit)").arg(lib.version));
                hasVersion = true;
            } else if (key == "ecosystem") {
                lib.ecosystem = nonEmptyString(v, p);
            } else if (key == "export") {
                const QString name = nonEmptyString(v, p);
                const auto target = exporting::targetFromName(name);
                QStringList services;
                for (exporting::Target t : exporting::serviceTargets())
                    services << exporting::targetName(t);
                if (!target || !exporting::serviceTargets().contains(*target))
                    fail("ERR_ESTATE_VALUE", v.line, p,
                         QStringLiteral("\"%1\" is not a service export (one of %2)").arg(name, services.join(QStringLiteral(", "))));
                else
                    lib.exportTarget = *target;
            }
        });
        if (!hasName)
            fail("ERR_ESTATE_MISSING_FIELD", m_lines.value(path, node.line), path + QStringLiteral(".name"),
                 QStringLiteral("a library needs its \"name\""));
        if (!hasVersion)
            fail("ERR_ESTATE_MISSING_FIELD", m_lines.value(path, node.line), path + QStringLiteral(".version"),
                 QStringLiteral("a library needs its installed \"version\""));
        return lib;
    }

    probe::StatusRanges statuses(const TreeNode& node, const QString& path) const
    {
        QString text;
        if (node.kind == TreeNode::Kind::Scalar && node.scalarType() == ScalarType::Integer)
            text = QString::fromStdString(node.text);
        else
            text = string(node, path);
        auto parsed = probe::StatusRanges::parse(text);
        if (!parsed)
            fail("ERR_ESTATE_VALUE", node.line, path, parsed.error().message);
        return parsed.value();
    }

    QUrl url(const TreeNode& node, const QString& path) const
    {
        const QString text = nonEmptyString(node, path);
        QUrl u(text, QUrl::StrictMode); // not const: returned by move
        const QString scheme = u.scheme().toLower();
        if (!u.isValid() || (scheme != u"http" && scheme != u"https") || u.host().isEmpty())
            fail("ERR_ESTATE_URL", node.line, path,
                 QStringLiteral("\"%1\" is not an http or https URL with a host").arg(text));
        if (!u.userInfo().isEmpty())
            fail("ERR_ESTATE_URL", node.line, path,
                 QStringLiteral("the URL carries credentials; an estate file is not the place for them"));
        return u;
    }

    ProbeSettings probeSettings(const TreeNode& node, const QString& path, const Verifier& verifier,
                                const policy::Policy& policy)
    {
        ProbeSettings s;
        bool hasUrl = false;
        int issuerLine = 0;
        int audienceLine = 0;
        readMap(node, path,
                {"url", "issuer", "audience", "signing_key", "header", "prefix", "accept_status", "reject_status", "ca",
                 "rate", "max_requests", "timeout", "margin"},
                [&](std::string_view key, const QString& p, const TreeNode& v) {
                    if (key == "url") {
                        s.target.url = url(v, p);
                        hasUrl = true;
                    } else if (key == "issuer") {
                        s.issuer = nonEmptyString(v, p);
                        issuerLine = v.line;
                    } else if (key == "audience") {
                        s.audience = nonEmptyString(v, p);
                        audienceLine = v.line;
                    } else if (key == "signing_key") {
                        s.signingKeyPath = existingFile(v, p, QStringLiteral("the signing key"));
                        s.signingKey = signingKey(s.signingKeyPath, v, p);
                    } else if (key == "header") {
                        s.target.headerName = nonEmptyString(v, p);
                    } else if (key == "prefix") {
                        s.target.prefix = string(v, p);
                    } else if (key == "accept_status") {
                        s.target.accept = statuses(v, p);
                    } else if (key == "reject_status") {
                        s.target.reject = statuses(v, p);
                    } else if (key == "ca") {
                        s.target.caFile = existingFile(v, p, QStringLiteral("the CA file"));
                    } else if (key == "rate") {
                        s.target.ratePerSecond = number(v, p, 0.01, kMaxRatePerSecond);
                    } else if (key == "max_requests") {
                        s.target.maxRequests = static_cast<int>(integer(v, p, 1, kMaxRequestsCeiling));
                    } else if (key == "timeout") {
                        s.target.timeoutSeconds = static_cast<int>(integer(v, p, 1, kMaxTimeoutSeconds));
                    } else if (key == "margin") {
                        s.marginSeconds = static_cast<int>(integer(v, p, 1, kMaxMarginSeconds));
                    }
                });
        // A missing or conflicting field is reported on the line of the key that holds the mapping.
        const int probeLine = m_lines.value(path, node.line);
        if (!hasUrl)
            fail("ERR_ESTATE_MISSING_FIELD", probeLine, path + QStringLiteral(".url"),
                 QStringLiteral("a probe needs the \"url\" the verifier answers on"));
        for (const auto& [low, high] : s.target.accept.ranges) {
            for (int status = low; status <= high; ++status) {
                if (s.target.reject.contains(status))
                    fail("ERR_ESTATE_VALUE",
                         m_lines.value(path + QStringLiteral(".reject_status"),
                                       m_lines.value(path + QStringLiteral(".accept_status"), probeLine)),
                         path + QStringLiteral(".reject_status"),
                         QStringLiteral("status %1 is both an acceptance and a rejection").arg(status));
            }
        }
        if (s.issuer.isEmpty()) {
            s.issuer = verifier.issuers.first();
        } else if (!verifier.issuers.contains(s.issuer)) {
            fail(policy.findIssuer(s.issuer) ? "ERR_ESTATE_VALUE" : "ERR_ESTATE_UNKNOWN_ISSUER", issuerLine,
                 path + QStringLiteral(".issuer"),
                 policy.findIssuer(s.issuer)
                     ? QStringLiteral("issuer \"%1\" is not among this verifier's issuers").arg(s.issuer)
                     : QStringLiteral("issuer \"%1\" is not an issuer of the policy").arg(s.issuer));
        }
        if (s.audience) {
            const policy::Issuer* issuer = policy.findIssuer(s.issuer);
            if (issuer && !issuer->audiences.contains(*s.audience))
                fail("ERR_ESTATE_VALUE", audienceLine, path + QStringLiteral(".audience"),
                     QStringLiteral("audience \"%1\" is not in the audiences of issuer \"%2\"").arg(*s.audience, s.issuer));
        }
        return s;
    }

    crypto::SigningKey signingKey(const QString& absolute, const TreeNode& node, const QString& path) const
    {
        QFile file(absolute);
        if (!file.open(QIODevice::ReadOnly))
            fail("ERR_ESTATE_FILE", node.line, path, QStringLiteral("cannot read the signing key: %1").arg(file.errorString()));
        if (file.size() > kMaxKeyFileBytes)
            fail("ERR_ESTATE_FILE", node.line, path,
                 QStringLiteral("the signing key file is larger than %1 bytes").arg(kMaxKeyFileBytes));
        const QByteArray pem = util::readAtMost(file, kMaxKeyFileBytes);
        auto key = crypto::SigningKey::fromPrivatePem(pem, QString());
        if (!key)
            fail("ERR_ESTATE_KEY", node.line, path,
                 QStringLiteral("the signing key is not a PEM private key: %1").arg(key.error().message));
        return key.value();
    }

    QString m_source;
    QString m_baseDir;
    EstateLimits m_limits;
    QHash<QString, int> m_lines;
};

Error readError(const QString& path, const QString& message)
{
    return Error{QStringLiteral("ERR_ESTATE_READ"), message, path};
}

} // namespace

QString verifierKindName(VerifierKind kind)
{
    for (const KindInfo& k : kKinds) {
        if (k.kind == kind)
            return QString::fromUtf16(k.name);
    }
    return QStringLiteral("service");
}

std::optional<VerifierKind> verifierKindFromName(QStringView name)
{
    for (const KindInfo& k : kKinds) {
        if (name == QStringView(k.name))
            return k.kind;
    }
    return std::nullopt;
}

QStringList verifierKindNames()
{
    QStringList names;
    for (const KindInfo& k : kKinds)
        names << QString::fromUtf16(k.name);
    return names;
}

std::optional<exporting::Target> exportTargetFor(VerifierKind kind)
{
    if (kind == VerifierKind::Service)
        return std::nullopt;
    return exporting::targetFromName(verifierKindName(kind));
}

std::optional<exporting::Target> referenceTargetFor(const Verifier& verifier)
{
    if (verifier.kind == VerifierKind::Service)
        return verifier.library ? verifier.library->exportTarget : std::nullopt;
    return exportTargetFor(verifier.kind);
}

std::optional<exporting::DriftSource> driftSourceFor(VerifierKind kind)
{
    switch (kind) {
    case VerifierKind::Envoy: return exporting::DriftSource::Envoy;
    case VerifierKind::Istio: return exporting::DriftSource::Istio;
    case VerifierKind::Kong: return exporting::DriftSource::Kong;
    default: break;
    }
    return std::nullopt;
}

const Verifier* Estate::findVerifier(QStringView verifierName) const
{
    for (const Verifier& v : verifiers) {
        if (v.name == verifierName)
            return &v;
    }
    return nullptr;
}

Result<Estate> parseEstate(const QByteArray& text, bool json, const QString& sourceName, const QString& baseDir,
                           const EstateLimits& limits)
{
    if (text.size() > limits.maxFileBytes)
        return Error{QStringLiteral("ERR_ESTATE_TOO_LARGE"),
                     QStringLiteral("the estate is %1 bytes; at most %2 are accepted").arg(text.size()).arg(limits.maxFileBytes),
                     sourceName};
    try {
        const policy::detail::TreeLimits treeLimits{limits.maxDepth};
        auto tree = json ? policy::detail::readJsonTree(text, sourceName, treeLimits)
                         : policy::detail::readYamlTree(text, sourceName, treeLimits);
        if (!tree) {
            // The tree reader speaks for policies; the message and location are the estate's own.
            Error e = tree.error();
            e.code = QStringLiteral("ERR_ESTATE_SYNTAX");
            return e;
        }
        EstateReader reader(sourceName, baseDir, limits);
        return reader.read(tree.value());
    } catch (const LoadFailure& failure) {
        return failure.error;
    } catch (const std::bad_alloc&) {
        return Error{QStringLiteral("ERR_ESTATE_TOO_LARGE"), QStringLiteral("out of memory while reading the estate"),
                     sourceName};
    } catch (const std::exception& e) {
        return Error{QStringLiteral("ERR_ESTATE_SYNTAX"),
                     QStringLiteral("the estate could not be read: %1").arg(QString::fromLocal8Bit(e.what())), sourceName};
    }
}

Result<Estate> loadEstateFile(const QString& path, const EstateLimits& limits)
{
    const QFileInfo info(path);
    if (!info.exists())
        return readError(path, QStringLiteral("the estate file does not exist"));
    if (info.isDir())
        return readError(path, QStringLiteral("this is a directory, not an estate file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return readError(path, QStringLiteral("cannot read the estate file: %1").arg(file.errorString()));
    if (file.size() > limits.maxFileBytes)
        return Error{QStringLiteral("ERR_ESTATE_TOO_LARGE"),
                     QStringLiteral("the estate file is %1 bytes; at most %2 are accepted").arg(file.size()).arg(limits.maxFileBytes),
                     path};
    const QByteArray text = util::readAtMost(file, limits.maxFileBytes);
    if (file.error() != QFileDevice::NoError)
        return readError(path, QStringLiteral("cannot read the estate file: %1").arg(file.errorString()));
    auto estate = parseEstate(text, path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive), path,
                              info.absolutePath(), limits);
    if (!estate)
        return estate;
    Estate loaded = std::move(estate).value();
    loaded.sourcePath = info.absoluteFilePath();
    return loaded;
}

} // namespace jwb::estate
