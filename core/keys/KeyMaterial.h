// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/OpenSsl.h"
#include "keys/Key.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>

namespace jwb::crypto {
struct VerifyContext; // defined in crypto/VerifyContext.h; only the verifier builds and uses one
}

namespace jwb::keys {

// The immutable key behind a Key: an owned EVP_PKEY for RSA/EC/OKP, the secret bytes for oct, and
// the public parameters in their JWK form (thumbprints and JWK export need them for PEM keys too).
//
// It also owns the verification contexts built for it. They live in a small array of slots, one per
// live thread index, instead of in a thread_local cache: a context then dies with its key (nothing
// to sweep, nothing left behind by finished worker threads) and two threads never share one, because
// a verifier takes a context out of a slot with one atomic exchange and puts it back afterwards.
// With more threads than slots, a thread borrows an idle context from another slot first and only
// builds a new one when all are in use.
class KeyMaterial final {
public:
    // Public parameters, big-endian, in the exact form a JWK carries them.
    struct PublicParams {
        QByteArray n, e;  // RSA, without leading zero octets
        QByteArray x, y;  // EC: exactly fieldBytes each; OKP: x only (32 or 57 bytes)
    };

    // Takes ownership of `pkey` (a public key). `curve` is the JWK crv or empty for RSA.
    KeyMaterial(crypto::ossl::Pkey pkey, KeyType type, QString curve, int bits, PublicParams params);
    // An HMAC secret.
    explicit KeyMaterial(const QByteArray& secret);
    ~KeyMaterial();
    KeyMaterial(const KeyMaterial&) = delete;
    KeyMaterial& operator=(const KeyMaterial&) = delete;
    KeyMaterial(KeyMaterial&&) = delete;
    KeyMaterial& operator=(KeyMaterial&&) = delete;

    KeyType type() const { return m_type; }
    const QString& curve() const { return m_curve; }
    int bits() const { return m_bits; }
    EVP_PKEY* pkey() const { return m_pkey.get(); } // nullptr for oct keys
    const QByteArray& secret() const { return m_secret; } // empty for asymmetric keys
    const PublicParams& params() const { return m_params; }

    // RSA: modulus length in bytes (the exact signature length). EC: field size in bytes (R and S
    // each take this many bytes). 0 otherwise.
    int signatureUnitBytes() const { return m_unitBytes; }
    // EC only: the order n of the curve's base point, for the r, s in [1, n-1] check. Shared,
    // immutable, never freed while the process runs.
    const BIGNUM* ecOrder() const { return m_ecOrder; }

    // RFC 7638 JWK thumbprint (SHA-256, base64url) from the public parameters.
    QString thumbprint() const;
    // "RSA 2048", "EC P-256", "OKP Ed25519", "oct 256": built once, since traces show it per token.
    const QString& description() const { return m_description; }

    // Takes this thread's verification context out of its slot (nullptr when the slot is empty:
    // the caller builds a fresh one). Give it back with releaseContext; on any OpenSSL error the
    // caller deletes it instead so a context in an unknown state is never reused.
    crypto::VerifyContext* acquireContext() const;
    void releaseContext(crypto::VerifyContext* context) const;

private:
    struct alignas(64) Slot { // one cache line each: threads on different slots never contend
        std::atomic<crypto::VerifyContext*> context{nullptr};
    };
    unsigned slotIndex() const;

    crypto::ossl::Pkey m_pkey;
    QByteArray m_secret;
    KeyType m_type;
    QString m_curve;
    int m_bits = 0;
    int m_unitBytes = 0;
    const BIGNUM* m_ecOrder = nullptr;
    PublicParams m_params;
    QString m_description;
    unsigned m_slotMask = 0;
    std::unique_ptr<Slot[]> m_slots;
};

} // namespace jwb::keys
