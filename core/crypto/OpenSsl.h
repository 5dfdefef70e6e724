// SPDX-License-Identifier: Apache-2.0
#pragma once

// Ownership wrappers for the OpenSSL objects the keys and crypto code hold, and the few fetched
// algorithm objects that are looked up once per process (fetching per call costs microseconds).

#include "crypto/Algorithm.h"

#include <QByteArrayView>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <array>
#include <memory>

namespace jwb::crypto::ossl {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct MacCtxFree { void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct EcdsaSigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };

using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

// SHA-256/384/512 fetched once and kept for the life of the process. nullptr only when the default
// provider is unavailable, which callers treat as an internal error.
const EVP_MD* sha(int bits);
// The SHA-2 digest an algorithm uses (nullptr for EdDSA and Unsupported).
const EVP_MD* digestFor(Algorithm alg);
// Output length in bytes of the algorithm's hash (32/48/64), 0 for EdDSA and Unsupported.
int hashBytes(Algorithm alg);
using Sha256 = std::array<unsigned char, 32>;
// SHA-256 of `data` with the calling thread's kept digest context (EVP_Digest would allocate and
// initialise a fresh context per call, which costs more than hashing a typical token). False only
// when OpenSSL fails.
bool sha256(QByteArrayView data, Sha256& out);
// The HMAC implementation, fetched once.
EVP_MAC* hmac();

// Drops whatever OpenSSL queued so one failure never leaks into the next caller's diagnosis.
void clearErrors();

} // namespace jwb::crypto::ossl
