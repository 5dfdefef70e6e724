# SPDX-License-Identifier: Apache-2.0
# Builds an RSA public key whose modulus has the ROCA structure (CVE-2017-15361): both primes are
# k*M + (65537^a mod M), M the product of the primes 3..167. Test data for the detector only.
import math, random, sys
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import serialization

PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
          101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167]
M = 1
for p in PRIMES:
    M *= p

def probable_prime(n, rounds=40):
    if n < 2:
        return False
    for p in PRIMES + [2]:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2; s += 1
    for _ in range(rounds):
        a = random.randrange(2, n - 1)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True

import math
BITS = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
LOW = {BITS // 2: math.isqrt(1 << (BITS - 1)) + 1}

def roca_prime(bits):
    while True:
        a = random.randrange(1, 1 << 40)
        k = random.randrange(LOW[bits] // M + 1, (1 << bits) // M)
        p = k * M + pow(65537, a, M)
        # Both primes above 2^(bits-0.5), so their product has exactly 2*bits bits.
        if LOW[bits] < p < (1 << bits) and probable_prime(p):
            return p

random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 15361)
p, q = roca_prime(BITS // 2), roca_prime(BITS // 2)
n = p * q
assert n.bit_length() == BITS
pub = rsa.RSAPublicNumbers(65537, n).public_key()
sys.stdout.write(pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())
