// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Algorithm.h"
#include "util/Error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace jwb::keys {

enum class KeyType { Rsa, Ec, Okp, Oct };
QString keyTypeName(KeyType t); // JWK kty: "RSA", "EC", "OKP", "oct"

// Opaque key material: an OpenSSL EVP_PKEY for public keys, the secret bytes for oct keys. Owns
// per-thread verification contexts (see crypto/Verifier.h) so they are built once per key.
class KeyMaterial;

// One verification key as pinned in a policy. A value type: copies share the immutable material.
struct Key {
    QString kid;               // JWK "kid"; empty when the source has none (PEM)
    KeyType type = KeyType::Rsa;
    QString curve;             // "P-256", "P-384", "P-521", "Ed25519", "Ed448"; empty otherwise
    int bits = 0;              // RSA modulus / EC field size / secret length in bits
    QString jwkAlg;            // JWK "alg" when present: the key may only be used with it
    QString use;               // JWK "use" when present: must be "sig"
    QStringList keyOps;        // JWK "key_ops" when present: must contain "verify"
    QString thumbprint;        // RFC 7638 JWK SHA-256 thumbprint, base64url
    QString source;            // where it came from: "inline jwks #2", "keys/login.pem"
    bool testKey = false;      // minted by the workbench; lint reports it as an error
    QString certSubject;       // X.509 source: the certificate's subject (RFC 2253), else empty
    qint64 certNotAfter = 0;   // X.509 source: notAfter as Unix seconds, else 0
    std::shared_ptr<const KeyMaterial> material;

    // Whether this key can verify `alg` at all: type/curve/size match (RS* on RSA, ES256 on P-256,
    // EdDSA on OKP, HS* on oct never on an asymmetric key) and its JWK alg/use/key_ops agree.
    // `why` receives the reason when false.
    bool usableWith(crypto::Algorithm alg, QString* why = nullptr) const;
    // Algorithms this key could serve (for lint and the key list).
    QList<crypto::Algorithm> usableAlgorithms() const;
    // Human summary for lists: "RSA 2048", "EC P-256", "OKP Ed25519", "oct 256".
    QString description() const;
};

// Minimum strengths refused at load (RFC 7518 sections 3.2 and 3.3).
inline constexpr int kMinRsaBits = 2048;

// Parsers. All return ERR_KEY_* errors naming `sourceName` and the JWKS index or PEM block; a key
// below strength is refused (ERR_KEY_WEAK_RSA, ERR_KEY_SHORT_HMAC), an EC point not on its curve is
// refused (ERR_KEY_EC_POINT). Private key members in a JWK are refused (ERR_KEY_PRIVATE_IN_JWK):
// a policy pins public keys.
Result<Key> parseJwk(QByteArrayView jwkJson, const QString& sourceName);
Result<QList<Key>> parseJwks(QByteArrayView jwksJson, const QString& sourceName);
// PEM "PUBLIC KEY", "RSA PUBLIC KEY" or "CERTIFICATE" blocks (several allowed in one file).
Result<QList<Key>> parsePem(QByteArrayView pem, const QString& sourceName);
// Sniffs the content: JSON object with "keys" -> JWKS, JSON object -> JWK, otherwise PEM.
Result<QList<Key>> parseKeyData(QByteArrayView data, const QString& sourceName);
Result<QList<Key>> loadKeyFile(const QString& path);
// A raw HMAC secret (for tests, the mint dialog and the signature verb with --secret).
Result<Key> hmacKey(QByteArrayView secret, const QString& kid, const QString& sourceName);

// The JWK (public members only, oct keys with "k") of a key, for canonical save of test keys.
QByteArray toPublicJwk(const Key& key);

} // namespace jwb::keys
