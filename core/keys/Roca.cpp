// SPDX-License-Identifier: Apache-2.0
// The ROCA fingerprint (Nemec et al., "The Return of Coppersmith's Attack", CCS 2017): the primes of
// an affected key are k*M + (65537^a mod M), with M a product of small primes, so the modulus is a
// power of 65537 modulo each of them.
#include "keys/Roca.h"

#include <array>
#include <bitset>

namespace jwb::keys::detail {

namespace {

// The primes of the published fingerprint test.
constexpr std::array<unsigned, 38> kPrimes = {3,  5,  7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,
                                              47, 53, 59,  61,  67,  71,  73,  79,  83,  89,  97,  101, 103,
                                              107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};
constexpr unsigned kGenerator = 65537;

// For each prime, which residues are powers of 65537: computed once, a few hundred multiplications.
struct Subgroups {
    std::array<std::bitset<168>, kPrimes.size()> member{};
    Subgroups()
    {
        for (std::size_t i = 0; i < kPrimes.size(); ++i) {
            const unsigned p = kPrimes[i];
            unsigned x = 1;
            do {
                member[i].set(x);
                x = static_cast<unsigned>((static_cast<unsigned long long>(x) * (kGenerator % p)) % p);
            } while (x != 1);
        }
    }
};

} // namespace

bool hasRocaFingerprint(const BIGNUM* modulus)
{
    static const Subgroups subgroups;
    if (!modulus || BN_is_zero(modulus))
        return false;
    for (std::size_t i = 0; i < kPrimes.size(); ++i) {
        const BN_ULONG r = BN_mod_word(modulus, kPrimes[i]);
        if (r == static_cast<BN_ULONG>(-1) || !subgroups.member[i].test(static_cast<std::size_t>(r)))
            return false;
    }
    return true;
}

} // namespace jwb::keys::detail
