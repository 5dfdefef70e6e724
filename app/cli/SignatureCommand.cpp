// SPDX-License-Identifier: Apache-2.0
// jwt-policy signature --key FILE [--alg ALG] [--format text|json] [TOKEN | -]
// The JWS layer alone, for checking keys and signatures without a policy.
#include "CliSupport.h"

#include "keys/Key.h"
#include "verify/PolicyVerifier.h"

namespace jwb::cli {

namespace {

QCommandLineOption keyOption()
{
    return {QStringLiteral("key"), QStringLiteral("Key file: JWK, JWKS, PEM public key or X.509 certificate."),
            QStringLiteral("FILE")};
}

QCommandLineOption algOption()
{
    return {QStringLiteral("alg"),
            QStringLiteral("Require this algorithm (default: the token's alg, if the key can serve it; never none)."),
            QStringLiteral("ALG")};
}

class SignatureCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("signature"); }
    QString description() const override { return QStringLiteral("Check a JWS signature against a key file, without a policy."); }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(keyOption());
        parser.addOption(algOption());
        parser.addOption(formatOption());
        parser.addPositionalArgument(QStringLiteral("TOKEN"),
                                     QStringLiteral("The JWS, a file holding it, or '-' for standard input (default)."),
                                     QStringLiteral("[TOKEN | -]"));
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        const auto format = outputFormat(parser);
        if (!format)
            return reportError(io, name(), format.error());
        if (!parser.isSet(keyOption()))
            return reportError(io, name(), Error{QStringLiteral("ERR_USAGE_KEY"), QStringLiteral("--key FILE is required"), {}});
        std::optional<crypto::Algorithm> pinned;
        if (parser.isSet(algOption())) {
            const QString algName = parser.value(algOption());
            const crypto::Algorithm alg = crypto::algorithmFromName(algName);
            if (alg == crypto::Algorithm::Unsupported)
                return reportError(io, name(),
                                   Error{QStringLiteral("ERR_USAGE_ALG"),
                                         QStringLiteral("--alg '%1' is not a supported JWS algorithm").arg(algName), {}});
            pinned = alg;
        }
        const auto keyList = keys::loadKeyFile(parser.value(keyOption()));
        if (!keyList)
            return reportError(io, name(), keyList.error());
        const auto token = readTokenArg(parser, io);
        if (!token)
            return reportError(io, name(), token.error());

        return printTrace(io, *format, verify::verifySignatureOnly(*token, *keyList, pinned));
    }
};

} // namespace

std::unique_ptr<Command> makeSignatureCommand() { return std::make_unique<SignatureCommand>(); }

} // namespace jwb::cli
