// SPDX-License-Identifier: Apache-2.0
#include "models/EstateWriter.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace jwb::ui {

namespace {

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

QString pathFor(const QString& absolute, const QString& baseDir)
{
    if (baseDir.isEmpty())
        return absolute;
    const QString relative = QDir(baseDir).relativeFilePath(absolute);
    // A file beside the estate or one folder up stays relative ("../keys/k.pem", as estate files are
    // written by hand); one further away (another tree, another drive) keeps its absolute path, so
    // moving the estate file does not silently point it elsewhere.
    if (QDir::isAbsolutePath(relative) || relative.startsWith(QStringLiteral("../../")))
        return absolute;
    return relative;
}

QString number(double value)
{
    return QString::number(value, 'g', 12);
}

void writeProbe(QString& out, const estate::ProbeSettings& p, const QString& baseDir)
{
    const estate::ProbeSettings defaults;
    const QString in = QStringLiteral("      ");
    out += QStringLiteral("    probe:\n");
    out += in + QStringLiteral("url: ") + quoted(p.target.url.toString()) + u'\n';
    if (!p.issuer.isEmpty())
        out += in + QStringLiteral("issuer: ") + quoted(p.issuer) + u'\n';
    if (p.audience)
        out += in + QStringLiteral("audience: ") + quoted(*p.audience) + u'\n';
    if (!p.signingKeyPath.isEmpty())
        out += in + QStringLiteral("signing_key: ") + quoted(pathFor(p.signingKeyPath, baseDir)) + u'\n';
    if (p.target.headerName != defaults.target.headerName)
        out += in + QStringLiteral("header: ") + quoted(p.target.headerName) + u'\n';
    if (p.target.prefix != defaults.target.prefix)
        out += in + QStringLiteral("prefix: ") + quoted(p.target.prefix) + u'\n';
    if (p.target.accept.toString() != defaults.target.accept.toString())
        out += in + QStringLiteral("accept_status: ") + quoted(p.target.accept.toString()) + u'\n';
    if (p.target.reject.toString() != defaults.target.reject.toString())
        out += in + QStringLiteral("reject_status: ") + quoted(p.target.reject.toString()) + u'\n';
    if (!p.target.caFile.isEmpty())
        out += in + QStringLiteral("ca: ") + quoted(pathFor(p.target.caFile, baseDir)) + u'\n';
    if (p.target.ratePerSecond != defaults.target.ratePerSecond)
        out += in + QStringLiteral("rate: ") + number(p.target.ratePerSecond) + u'\n';
    if (p.target.maxRequests != defaults.target.maxRequests)
        out += in + QStringLiteral("max_requests: ") + QString::number(p.target.maxRequests) + u'\n';
    if (p.target.timeoutSeconds != defaults.target.timeoutSeconds)
        out += in + QStringLiteral("timeout: ") + QString::number(p.target.timeoutSeconds) + u'\n';
    if (p.marginSeconds != defaults.marginSeconds)
        out += in + QStringLiteral("margin: ") + QString::number(p.marginSeconds) + u'\n';
}

} // namespace

QByteArray estateToYaml(const estate::Estate& e, const QString& baseDir)
{
    QString out;
    out += QStringLiteral("jwt_estate: %1\n").arg(estate::kEstateFormatVersion);
    if (!e.name.isEmpty())
        out += QStringLiteral("name: ") + quoted(e.name) + u'\n';
    if (!e.owner.isEmpty())
        out += QStringLiteral("owner: ") + quoted(e.owner) + u'\n';
    out += QStringLiteral("policy: ") + quoted(pathFor(e.policyPath, baseDir)) + u'\n';
    out += QStringLiteral("verifiers:\n");
    for (const estate::Verifier& v : e.verifiers) {
        out += QStringLiteral("  - name: ") + quoted(v.name) + u'\n';
        out += QStringLiteral("    kind: ") + quoted(estate::verifierKindName(v.kind)) + u'\n';
        if (!v.owner.isEmpty())
            out += QStringLiteral("    owner: ") + quoted(v.owner) + u'\n';
        QStringList issuers;
        for (const QString& i : v.issuers)
            issuers << quoted(i);
        out += QStringLiteral("    issuers: [") + issuers.join(QStringLiteral(", ")) + QStringLiteral("]\n");
        if (!v.configPath.isEmpty())
            out += QStringLiteral("    config: ") + quoted(pathFor(v.configPath, baseDir)) + u'\n';
        if (v.library) {
            out += QStringLiteral("    library: {name: ") + quoted(v.library->name) + QStringLiteral(", version: ")
                   + quoted(v.library->version);
            if (!v.library->ecosystem.isEmpty())
                out += QStringLiteral(", ecosystem: ") + quoted(v.library->ecosystem);
            out += QStringLiteral("}\n");
        }
        if (v.probe)
            writeProbe(out, *v.probe, baseDir);
    }
    return out.toUtf8();
}

namespace {

QJsonObject probeJson(const estate::ProbeSettings& p, const QString& baseDir)
{
    const estate::ProbeSettings defaults;
    QJsonObject o{{QStringLiteral("url"), p.target.url.toString()}};
    if (!p.issuer.isEmpty())
        o.insert(QStringLiteral("issuer"), p.issuer);
    if (p.audience)
        o.insert(QStringLiteral("audience"), *p.audience);
    if (!p.signingKeyPath.isEmpty())
        o.insert(QStringLiteral("signing_key"), pathFor(p.signingKeyPath, baseDir));
    if (p.target.headerName != defaults.target.headerName)
        o.insert(QStringLiteral("header"), p.target.headerName);
    if (p.target.prefix != defaults.target.prefix)
        o.insert(QStringLiteral("prefix"), p.target.prefix);
    if (p.target.accept.toString() != defaults.target.accept.toString())
        o.insert(QStringLiteral("accept_status"), p.target.accept.toString());
    if (p.target.reject.toString() != defaults.target.reject.toString())
        o.insert(QStringLiteral("reject_status"), p.target.reject.toString());
    if (!p.target.caFile.isEmpty())
        o.insert(QStringLiteral("ca"), pathFor(p.target.caFile, baseDir));
    if (p.target.ratePerSecond != defaults.target.ratePerSecond)
        o.insert(QStringLiteral("rate"), p.target.ratePerSecond);
    if (p.target.maxRequests != defaults.target.maxRequests)
        o.insert(QStringLiteral("max_requests"), p.target.maxRequests);
    if (p.target.timeoutSeconds != defaults.target.timeoutSeconds)
        o.insert(QStringLiteral("timeout"), p.target.timeoutSeconds);
    if (p.marginSeconds != defaults.marginSeconds)
        o.insert(QStringLiteral("margin"), p.marginSeconds);
    return o;
}

} // namespace

QByteArray estateToJson(const estate::Estate& e, const QString& baseDir)
{
    QJsonObject root{{QStringLiteral("jwt_estate"), estate::kEstateFormatVersion},
                     {QStringLiteral("policy"), pathFor(e.policyPath, baseDir)}};
    if (!e.name.isEmpty())
        root.insert(QStringLiteral("name"), e.name);
    if (!e.owner.isEmpty())
        root.insert(QStringLiteral("owner"), e.owner);
    QJsonArray verifiers;
    for (const estate::Verifier& v : e.verifiers) {
        QJsonObject o{{QStringLiteral("name"), v.name},
                      {QStringLiteral("kind"), estate::verifierKindName(v.kind)},
                      {QStringLiteral("issuers"), QJsonArray::fromStringList(v.issuers)}};
        if (!v.owner.isEmpty())
            o.insert(QStringLiteral("owner"), v.owner);
        if (!v.configPath.isEmpty())
            o.insert(QStringLiteral("config"), pathFor(v.configPath, baseDir));
        if (v.library) {
            QJsonObject lib{{QStringLiteral("name"), v.library->name}, {QStringLiteral("version"), v.library->version}};
            if (!v.library->ecosystem.isEmpty())
                lib.insert(QStringLiteral("ecosystem"), v.library->ecosystem);
            o.insert(QStringLiteral("library"), lib);
        }
        if (v.probe)
            o.insert(QStringLiteral("probe"), probeJson(*v.probe, baseDir));
        verifiers.append(o);
    }
    root.insert(QStringLiteral("verifiers"), verifiers);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool isJsonEstatePath(const QString& path)
{
    return path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
}

} // namespace jwb::ui
