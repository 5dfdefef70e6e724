#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Development helper: mints the sample tokens under resources/tokens/ with the demo keys in
sample-keys/, using only python3 and the openssl CLI. Also prints the public JWKs that
resources/policies/sample.yaml pins (--jwks).

The keys are demo keys, published on purpose: never use them, or tokens signed by them, anywhere real.

    python3 resources/tokens/mint-samples.py          # rewrites the sample-*.jwt files
    python3 resources/tokens/mint-samples.py --jwks   # prints the public JWKs as JSON
"""

import base64
import datetime
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
KEYS = HERE / "sample-keys"

LOGIN_ISS = "https://login.example.com/"
PARTNER_ISS = "https://auth.partner.example.net/"
BILLING_ISS = "https://billing.internal.example.com/"
LOGIN_KID = "login-2026-11"
PARTNER_KID = "partner-es256-1"
BILLING_KID = "billing-batch-hs256"
BILLING_RS_KID = "billing-2026-rs256"

# The instant the README's run command evaluates at is 2026-11-01T10:10:00Z.
IAT = int(datetime.datetime(2026, 11, 1, 10, 0, 0, tzinfo=datetime.timezone.utc).timestamp())


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def openssl(*args: str, data: bytes = b"") -> bytes:
    return subprocess.run(["openssl", *args], input=data, check=True, capture_output=True).stdout


def der_length(blob: bytes, pos: int):
    first = blob[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    return int.from_bytes(blob[pos + 1:pos + 1 + count], "big"), pos + 1 + count


def ecdsa_der_to_raw(der: bytes, size: int) -> bytes:
    """ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } -> r || s, each `size` bytes (RFC 7518 3.4)."""
    assert der[0] == 0x30
    _, pos = der_length(der, 1)
    out = b""
    for _ in range(2):
        assert der[pos] == 0x02
        length, pos = der_length(der, pos + 1)
        value = der[pos:pos + length].lstrip(b"\x00")
        pos += length
        out += value.rjust(size, b"\x00")
    return out


def hmac_secret() -> bytes:
    return bytes.fromhex((KEYS / "billing-hs256.hex").read_text().strip())


def sign(alg: str, kid: str, signing_input: bytes) -> bytes:
    if alg == "RS256":
        key = "billing-rs256.pem" if kid == BILLING_RS_KID else "login-rs256.pem"
        return openssl("dgst", "-sha256", "-sign", str(KEYS / key), data=signing_input)
    if alg == "ES256":
        der = openssl("dgst", "-sha256", "-sign", str(KEYS / "partner-es256.pem"), data=signing_input)
        return ecdsa_der_to_raw(der, 32)
    if alg == "HS256":
        return openssl("dgst", "-sha256", "-binary", "-mac", "HMAC", "-macopt",
                       "hexkey:" + hmac_secret().hex(), data=signing_input)
    if alg == "none":
        return b""
    raise ValueError(alg)


def compact(header: dict, payload: dict) -> str:
    head = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = f"{head}.{body}".encode("ascii")
    signature = sign(header["alg"], header.get("kid", ""), signing_input)
    return f"{head}.{body}.{b64url(signature)}"


def rsa_public_jwk(file: str, kid: str) -> dict:
    modulus_hex = openssl("rsa", "-in", str(KEYS / file), "-noout", "-modulus").decode()
    modulus = bytes.fromhex(modulus_hex.strip().split("=", 1)[1])
    exponent = openssl("rsa", "-in", str(KEYS / file), "-noout", "-text").decode()
    assert "publicExponent: 65537" in exponent
    return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
            "n": b64url(modulus), "e": b64url((65537).to_bytes(3, "big"))}


def ec_public_jwk() -> dict:
    spki = openssl("pkey", "-in", str(KEYS / "partner-es256.pem"), "-pubout", "-outform", "DER")
    point = spki[-65:]
    assert point[0] == 0x04
    return {"kty": "EC", "kid": PARTNER_KID, "use": "sig", "alg": "ES256", "crv": "P-256",
            "x": b64url(point[1:33]), "y": b64url(point[33:])}


def oct_jwk() -> dict:
    return {"kty": "oct", "kid": BILLING_KID, "use": "sig", "alg": "HS256", "k": b64url(hmac_secret())}


def claims(iss: str, aud: str, iat: int, lifetime: int = 3600, **extra) -> dict:
    payload = {"iss": iss, "sub": "alice@example.com", "aud": aud, "iat": iat, "exp": iat + lifetime}
    payload.update(extra)
    return payload


def main() -> int:
    if "--jwks" in sys.argv[1:]:
        print(json.dumps({"login": rsa_public_jwk("login-rs256.pem", LOGIN_KID), "partner": ec_public_jwk(),
                          "billing": rsa_public_jwk("billing-rs256.pem", BILLING_RS_KID),
                          "billing-exception": oct_jwk()}, indent=2))
        return 0
    rs_header = {"alg": "RS256", "typ": "JWT", "kid": LOGIN_KID}
    tokens = {
        # Accepted at 2026-11-01T10:10:00Z under sample.yaml.
        "sample-valid.jwt": compact(rs_header, claims(LOGIN_ISS, "payments-api", IAT)),
        # Expired at 09:00, far beyond the 30 s skew.
        "sample-expired.jwt": compact(rs_header, claims(LOGIN_ISS, "payments-api", IAT - 7200)),
        # Properly signed, but for an audience outside the issuer's row.
        "sample-wrong-audience.jwt": compact(rs_header, claims(LOGIN_ISS, "hr-api", IAT)),
        # Unsecured JWS: always rejected.
        "sample-alg-none.jwt": compact({"alg": "none", "typ": "JWT"}, claims(LOGIN_ISS, "payments-api", IAT)),
        # The partner's ES256 token for its own API.
        "sample-partner-es256.jwt": compact({"alg": "ES256", "typ": "JWT", "kid": PARTNER_KID},
                                            claims(PARTNER_ISS, "partner-api", IAT, sub="partner-42")),
        # Billing's new RS256 key, the target of its migration (billing tokens live 15 minutes).
        "sample-billing-rs256.jwt": compact({"alg": "RS256", "typ": "JWT", "kid": BILLING_RS_KID},
                                            claims(BILLING_ISS, "billing-api", IAT, 900, sub="billing-ui")),
        # Billing's HS256 batch token: accepted only while the dated exception is active.
        "sample-billing-hs256.jwt": compact({"alg": "HS256", "typ": "JWT", "kid": BILLING_KID},
                                            claims(BILLING_ISS, "ledger-api", IAT, 900, sub="billing-batch")),
    }
    for name, token in tokens.items():
        (HERE / name).write_text(token + "\n")
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
