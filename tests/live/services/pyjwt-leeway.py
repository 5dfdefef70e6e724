#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A service that verifies bearer tokens with Debian's python3-jwt (PyJWT 2.6) configured as the
# policy says in every respect PyJWT can express, except its leeway: 600 s where the policy allows
# 30 s, the "clocks drift, let us be generous" mistake. The estate's live test (tst_estate_live)
# must find the expired and not-yet-valid tokens it lets through, and nothing else besides what
# PyJWT cannot be told to check.
#   python3 pyjwt-leeway.py PORT PUBLIC_KEY_PEM OPTIONS_JSON
# OPTIONS_JSON: {"issuer": "...", "audiences": [...], "leeway": 600}.
# Answers 200 when the token verifies and 401 otherwise, on 127.0.0.1 only. Tokens are never
# printed: only a request's outcome is.
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

if len(sys.argv) != 4:
    print("usage: pyjwt-leeway.py PORT PUBLIC_KEY_PEM OPTIONS_JSON", file=sys.stderr)
    sys.exit(2)
PORT = int(sys.argv[1])
with open(sys.argv[2], "rb") as f:
    PUBLIC_KEY = f.read()
with open(sys.argv[3], encoding="utf-8") as f:
    OPTIONS = json.load(f)


class Handler(BaseHTTPRequestHandler):
    count = 0

    def do_GET(self):
        Handler.count += 1
        header = self.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        status, why = 401, "no bearer token"
        if token:
            try:
                jwt.decode(token, PUBLIC_KEY, algorithms=["ES256"], audience=OPTIONS["audiences"],
                           issuer=OPTIONS["issuer"], leeway=OPTIONS["leeway"],
                           options={"require": ["exp", "iat", "sub"]})
                status, why = 200, "verified"
            except jwt.PyJWTError as e:
                why = type(e).__name__ + ": " + str(e)
            except Exception as e:  # a malformed token must never take the service down
                why = "error " + type(e).__name__
        body = b"ok\n" if status == 200 else b"unauthorized\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        print(f"request {Handler.count} GET {self.path} -> {status} ({why})", flush=True)

    def log_message(self, format, *args):  # the default access log would print nothing useful
        pass


print(f"PyJWT {jwt.__version__} service on 127.0.0.1:{PORT} with {json.dumps(OPTIONS)}", flush=True)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
