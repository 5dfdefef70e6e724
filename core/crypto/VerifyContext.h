// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Algorithm.h"
#include "crypto/OpenSsl.h"

#include <array>

namespace jwb::crypto {

// What one thread keeps prepared for one key (see keys/KeyMaterial.h for ownership). Members are
// built lazily on the first verification that needs them and reused for every later one.
struct VerifyContext {
    ossl::MdCtx digest;                                // SHA-2 over the signing input, re-initialised per use
    std::array<ossl::PkeyCtx, kAlgorithmCount> verify; // RS*/PS*/ES*: EVP_PKEY_verify_init done, padding and md set
    ossl::MdCtx eddsa;                                 // EdDSA: EVP_DigestVerifyInit done with the key
    std::array<ossl::MacCtx, 3> hmac;                  // HS256/384/512: keyed once, re-initialised per use
    // ES*: the R and S of each signature are read into these (owned by ecdsa) and encoded as DER
    // for EVP_PKEY_verify, without allocating per signature.
    ossl::EcdsaSig ecdsa;
    BIGNUM* ecdsaR = nullptr;
    BIGNUM* ecdsaS = nullptr;
};

} // namespace jwb::crypto
