// SPDX-License-Identifier: Apache-2.0
// One ordered description of each verifier (the order a hand-written file uses), rendered either
// as YAML or as JSON: the two formats cannot disagree on which fields are written.

#include "estate/EstateWriter.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace jwb::estate {

namespace {

// A field of the file: a scalar or string list in `value`, or a nested mapping in `children`
// (written inline in YAML when `flow`, as `library: {name: ..., version: ...}` is by hand).
struct Field {
    QString key;
    QJsonValue value;
    std::vector<Field> children;
    bool flow = false;
};
using Fields = std::vector<Field>;

QString pathFor(const QString& absolute, const QString& baseDir)
{
    if (baseDir.isEmpty())
        return absolute;
    QString relative = QDir(baseDir).relativeFilePath(absolute);
    // A file beside the estate or one folder up stays relative ("../keys/k.pem", as estate files are
    // written by hand); one further away (another tree, another drive) keeps its absolute path, so
    // moving the estate file does not silently point it elsewhere.
    if (QDir::isAbsolutePath(relative) || relative.startsWith(QStringLiteral("../../")))
        return absolute;
    return relative;
}

Fields probeFields(const ProbeSettings& p, const QString& baseDir)
{
    const ProbeSettings defaults;
    Fields f{{QStringLiteral("url"), p.target.url.toString(), {}, false}};
    auto add = [&f](const QString& key, const QJsonValue& value) { f.push_back({key, value, {}, false}); };
    if (!p.issuer.isEmpty())
        add(QStringLiteral("issuer"), p.issuer);
    if (p.audience)
        add(QStringLiteral("audience"), *p.audience);
    if (!p.signingKeyPath.isEmpty())
        add(QStringLiteral("signing_key"), pathFor(p.signingKeyPath, baseDir));
    if (p.target.headerName != defaults.target.headerName)
        add(QStringLiteral("header"), p.target.headerName);
    if (p.target.prefix != defaults.target.prefix)
        add(QStringLiteral("prefix"), p.target.prefix);
    if (p.target.accept.toString() != defaults.target.accept.toString())
        add(QStringLiteral("accept_status"), p.target.accept.toString());
    if (p.target.reject.toString() != defaults.target.reject.toString())
        add(QStringLiteral("reject_status"), p.target.reject.toString());
    if (!p.target.caFile.isEmpty())
        add(QStringLiteral("ca"), pathFor(p.target.caFile, baseDir));
    if (p.target.ratePerSecond != defaults.target.ratePerSecond)
        add(QStringLiteral("rate"), p.target.ratePerSecond);
    if (p.target.maxRequests != defaults.target.maxRequests)
        add(QStringLiteral("max_requests"), p.target.maxRequests);
    if (p.target.timeoutSeconds != defaults.target.timeoutSeconds)
        add(QStringLiteral("timeout"), p.target.timeoutSeconds);
    if (p.marginSeconds != defaults.marginSeconds)
        add(QStringLiteral("margin"), p.marginSeconds);
    return f;
}

Fields verifierFields(const Verifier& v, const QString& baseDir)
{
    Fields f{{QStringLiteral("name"), v.name, {}, false}, {QStringLiteral("kind"), verifierKindName(v.kind), {}, false}};
    if (!v.owner.isEmpty())
        f.push_back({QStringLiteral("owner"), v.owner, {}, false});
    f.push_back({QStringLiteral("issuers"), QJsonArray::fromStringList(v.issuers), {}, false});
    if (!v.configPath.isEmpty())
        f.push_back({QStringLiteral("config"), pathFor(v.configPath, baseDir), {}, false});
    if (v.library) {
        Fields lib{{QStringLiteral("name"), v.library->name, {}, false},
                   {QStringLiteral("version"), v.library->version, {}, false}};
        if (!v.library->ecosystem.isEmpty())
            lib.push_back({QStringLiteral("ecosystem"), v.library->ecosystem, {}, false});
        if (v.library->exportTarget)
            lib.push_back({QStringLiteral("export"), exporting::targetName(*v.library->exportTarget), {}, false});
        f.push_back({QStringLiteral("library"), {}, std::move(lib), true});
    }
    if (v.probe)
        f.push_back({QStringLiteral("probe"), {}, probeFields(*v.probe, baseDir), false});
    return f;
}

// --- YAML ---

QString quoted(const QString& text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += u'"';
    for (const QChar c : text) {
        if (c == u'"' || c == u'\\') {
            out += u'\\';
            out += c;
        } else if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            // Control characters would end a line or be invisible: escaped, as YAML allows.
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QChar(u'0'));
        } else {
            out += c;
        }
    }
    out += u'"';
    return out;
}

QString yamlScalar(const QJsonValue& value)
{
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 12);
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue item : value.toArray())
            items << yamlScalar(item);
        return u'[' + items.join(QStringLiteral(", ")) + u']';
    }
    return quoted(value.toString());
}

// `first` replaces the indentation of the first line ("  - " for a list item).
void writeYaml(QString& out, const Fields& fields, const QString& indent, const QString& first)
{
    bool isFirst = true;
    for (const Field& f : fields) {
        out += isFirst ? first : indent;
        isFirst = false;
        out += f.key + u':';
        if (f.children.empty()) {
            out += u' ' + yamlScalar(f.value) + u'\n';
        } else if (f.flow) {
            QStringList parts;
            for (const Field& c : f.children)
                parts << c.key + QStringLiteral(": ") + yamlScalar(c.value);
            out += QStringLiteral(" {") + parts.join(QStringLiteral(", ")) + QStringLiteral("}\n");
        } else {
            out += u'\n';
            const QString inner = indent + QStringLiteral("  ");
            writeYaml(out, f.children, inner, inner);
        }
    }
}

// --- JSON ---

QJsonObject toJson(const Fields& fields)
{
    QJsonObject o;
    for (const Field& f : fields)
        o.insert(f.key, f.children.empty() ? f.value : QJsonValue(toJson(f.children)));
    return o;
}

Fields headFields(const Estate& e, const QString& baseDir)
{
    Fields f;
    if (!e.name.isEmpty())
        f.push_back({QStringLiteral("name"), e.name, {}, false});
    if (!e.owner.isEmpty())
        f.push_back({QStringLiteral("owner"), e.owner, {}, false});
    f.push_back({QStringLiteral("policy"), pathFor(e.policyPath, baseDir), {}, false});
    return f;
}

} // namespace

QByteArray estateToYaml(const Estate& e, const QString& baseDir)
{
    QString out = QStringLiteral("jwt_estate: %1\n").arg(kEstateFormatVersion);
    writeYaml(out, headFields(e, baseDir), QString(), QString());
    out += QStringLiteral("verifiers:\n");
    for (const Verifier& v : e.verifiers)
        writeYaml(out, verifierFields(v, baseDir), QStringLiteral("    "), QStringLiteral("  - "));
    return out.toUtf8();
}

QByteArray estateToJson(const Estate& e, const QString& baseDir)
{
    QJsonObject root = toJson(headFields(e, baseDir));
    root.insert(QStringLiteral("jwt_estate"), kEstateFormatVersion);
    QJsonArray verifiers;
    for (const Verifier& v : e.verifiers)
        verifiers.append(toJson(verifierFields(v, baseDir)));
    root.insert(QStringLiteral("verifiers"), verifiers);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool isJsonEstatePath(const QString& path)
{
    return path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
}

} // namespace jwb::estate
