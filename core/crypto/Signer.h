// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Algorithm.h"
#include "keys/Key.h"
#include "util/Error.h"

#include <QByteArray>

#include <memory>

namespace jwb::crypto {

// A private signing key generated in the workbench for test tokens, self-tests and the mint
// dialog. Never saved to a policy: only its public half (`publicKey`) is.
class SigningKey {
public:
    // Generates a fresh key suitable for `alg` (RSA 2048 for RS/PS, the matching curve for ES,
    // Ed25519 for EdDSA, a random secret of the hash length for HS). `kid` is set on the public key.
    static Result<SigningKey> generate(Algorithm alg, const QString& kid);
    // Loads a PEM private key or an HMAC secret (tests use fixed keys from tests/data).
    static Result<SigningKey> fromPrivatePem(QByteArrayView pem, const QString& kid);
    static Result<SigningKey> fromSecret(QByteArrayView secret, const QString& kid);

    const keys::Key& publicKey() const { return m_public; }
    // The secret bytes of an HMAC key; empty for asymmetric keys.
    QByteArray secret() const;

    // Signs `input` with `alg`. ECDSA signatures are returned as raw R||S of the curve's exact
    // length (RFC 7518 section 3.4). Fails when the key cannot serve `alg`.
    Result<QByteArray> sign(Algorithm alg, QByteArrayView input) const;

private:
    struct Impl;
    // The key from its private half and its checked public half (or that check's error); `kid` is
    // set on the public half.
    static Result<SigningKey> assemble(std::shared_ptr<const Impl> impl, Result<keys::Key> pub,
                                       const QString& kid);

    std::shared_ptr<const Impl> m_impl;
    keys::Key m_public;
};

// Builds a compact JWS from raw JSON texts (the caller controls duplicates, spelling, everything:
// the self-test needs malformed tokens). Signs with `key` and `alg` unless `key` is null, in which
// case the signature segment is `rawSignature` verbatim. Returns an empty array when `key` cannot
// sign with `alg`.
QByteArray mintCompact(QByteArrayView headerJson, QByteArrayView payloadJson, const SigningKey* key,
                       Algorithm alg, QByteArrayView rawSignature = {});

// The DER (X9.62 ECDSA-Sig-Value) form of a raw R||S ECDSA signature: what careless signers send and
// what verification must refuse (RFC 7518 section 3.4). For minting such tokens in the self-test and
// tests. Empty when `raw` has an odd length or OpenSSL fails.
QByteArray ecdsaRawToDer(QByteArrayView raw);

} // namespace jwb::crypto
