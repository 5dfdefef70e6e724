// SPDX-License-Identifier: Apache-2.0
// jwt-policy keys fetch --policy FILE --issuer ISS [--write] [--format text|json] [--ca-file PEM]
// Exit 0 when the published keys equal the pinned ones or were written, 1 when they differ and
// --write was not given, 2 on any error (nothing is written then).
#include "CliSupport.h"

#include "keys/KeyFetcher.h"
#include "policy/PolicyIO.h"

#include <QFile>
#include <QJsonArray>

namespace jwb::cli {

namespace {

QCommandLineOption issuerOption() {
    return {QStringLiteral("issuer"),
            QStringLiteral("The issuer (exact iss) whose published keys are fetched."),
            QStringLiteral("ISS")};
}
QCommandLineOption writeOption() {
    return {QStringLiteral("write"), QStringLiteral("Pin the fetched keys into the policy (inline keys.jwks "
                                                    "of the issuer, replacing the pinned set).")};
}
QCommandLineOption caFileOption() {
    return {QStringLiteral("ca-file"), QStringLiteral("Trust only the CA certificates in this PEM file."),
            QStringLiteral("PEM")};
}

constexpr qint64 kMaxCaFileBytes = 1024 * 1024;

Error usage(const QString& message) {
    return Error{QStringLiteral("ERR_USAGE_ARGS"), message, {}};
}

void printKeys(QTextStream& out, const char* mark, const QList<keys::Key>& list) {
    for (const keys::Key& key : list)
        out << "  " << mark << ' ' << keys::keySummaryLine(key) << '\n';
}

class KeysCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("keys"); }
    QString description() const override {
        return QStringLiteral(
            "'keys fetch': fetch an issuer's published keys over https and diff or pin them.");
    }

    void defineOptions(QCommandLineParser& parser) const override {
        parser.addPositionalArgument(QStringLiteral("fetch"), QStringLiteral("The sub-verb (only 'fetch')."),
                                     QStringLiteral("fetch"));
        parser.addOption(policyOption());
        parser.addOption(issuerOption());
        parser.addOption(writeOption());
        parser.addOption(formatOption());
        parser.addOption(caFileOption());
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override {
        const QStringList positional = parser.positionalArguments();
        if (positional.size() != 1 || positional.first() != u"fetch")
            return reportError(
                io, name(),
                usage(QStringLiteral("expected the sub-verb 'fetch' (jwt-policy keys fetch ...)")));
        const auto format = outputFormat(parser);
        if (!format)
            return reportError(io, name(), format.error());
        if (!parser.isSet(issuerOption()))
            return reportError(io, name(), usage(QStringLiteral("--issuer ISS is required")));
        const QString issuer = parser.value(issuerOption());
        const auto loaded = loadPolicyArg(parser);
        if (!loaded)
            return reportError(io, name(), loaded.error());
        const policy::Issuer* found = loaded->findIssuer(issuer);
        if (!found)
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_USAGE_ISSUER"),
                                     QStringLiteral("the policy has no issuer '%1'").arg(issuer),
                                     {}});

        keys::KeyFetcher fetcher;
        if (parser.isSet(caFileOption())) {
            QFile file(parser.value(caFileOption()));
            if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxCaFileBytes)
                return reportError(io, name(),
                                   Error{QStringLiteral("ERR_FETCH_CA_FILE"),
                                         QStringLiteral("the CA file cannot be read (or is over 1 MiB)"),
                                         parser.value(caFileOption())});
            const Status ca = fetcher.setCaCertificatesPem(file.readAll());
            if (!ca)
                return reportError(io, name(),
                                   Error{ca.error().code, ca.error().message, parser.value(caFileOption())});
        }
        const auto fetched = fetcher.fetch(*loaded, issuer);
        if (!fetched)
            return reportError(io, name(), fetched.error());
        const keys::KeySetDiff diff = keys::diffKeySets(keys::pinnedKeys(*found), fetched->keys);

        bool written = false;
        if (parser.isSet(writeOption()) && diff.changed()) {
            const auto pinned = keys::pinKeys(*loaded, issuer, fetched->keys);
            if (!pinned)
                return reportError(io, name(), pinned.error());
            const Status saved = policy::savePolicyFile(*pinned, parser.value(policyOption()));
            if (!saved)
                return reportError(io, name(), saved.error());
            written = true;
        }

        if (*format == OutputFormat::Json) {
            QJsonObject o;
            o.insert(QStringLiteral("issuer"), issuer);
            o.insert(QStringLiteral("metadata_url"), fetched->metadataUrl.toString(QUrl::RemoveUserInfo));
            o.insert(QStringLiteral("jwks_uri"), fetched->jwksUrl.toString(QUrl::RemoveUserInfo));
            QJsonArray list;
            for (const keys::Key& key : fetched->keys)
                list.append(keys::keySummaryJson(key));
            o.insert(QStringLiteral("keys"), list);
            o.insert(QStringLiteral("diff"), keys::diffToJson(diff));
            o.insert(QStringLiteral("written"), written);
            printJson(io, o);
        } else {
            io.out << "Keys of " << issuer << " from " << fetched->jwksUrl.toString(QUrl::RemoveUserInfo);
            if (!fetched->metadataUrl.isEmpty())
                io.out << " (via " << fetched->metadataUrl.toString(QUrl::RemoveUserInfo) << ')';
            io.out << "\n\n" << fetched->keys.size() << " key(s) published:\n";
            printKeys(io.out, " ", fetched->keys);
            io.out << QStringLiteral("\nAgainst the pinned keys: %1 added, %2 removed, %3 unchanged\n")
                          .arg(diff.added.size())
                          .arg(diff.removed.size())
                          .arg(diff.unchanged.size());
            printKeys(io.out, "+", diff.added);
            printKeys(io.out, "-", diff.removed);
            printKeys(io.out, "=", diff.unchanged);
            if (written)
                io.out << "\nPinned " << fetched->keys.size() << " key(s) into "
                       << parser.value(policyOption()) << " (inline keys.jwks of " << issuer << ").\n";
            else if (diff.changed())
                io.out << "\nThe published keys differ from the pinned ones; run with --write to pin them.\n";
            else
                io.out << "\nThe pinned keys are up to date.\n";
        }
        return diff.changed() && !written ? ExitRejected : ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeKeysCommand() {
    return std::make_unique<KeysCommand>();
}

} // namespace jwb::cli
