#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every `jwt-policy VERB --format sarif` document against the official SARIF 2.1.0 JSON Schema.

Runs the built jwt-policy (from the source directory, so artifact URIs are relative to it) over the
sample policies, the weak policy, tests/data/export/edge.yaml, the lint line policy, every drift
configuration (as deployed and loosened), a self-test, a probe of two loopback verifiers and an estate
check over them, and checks
for each document:
  - it validates against tests/data/sarif/sarif-schema-2.1.0.json (Draft 4, with uri formats);
  - what the schema cannot say: one run, tool.driver name/version, every ruleId among the driver's
    rules (and ruleIndex pointing at it), a fingerprint per result, unique within the run, a
    relative artifact URI with uriBaseId SRCROOT for files under the source directory;
  - the exit code is the verb's own (the same as with --format text).
Then: fingerprints stay when lines move, and verbs without SARIF refuse it with exit 2.
"""

import argparse
import http.server
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse

import jsonschema

AT = "2026-11-22T00:00:00Z"
FINGERPRINT = "jwtPolicyFinding/v1"
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


# RFC 3986 characters; a URI here never holds a space or a raw non-ASCII character.
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def format_checker():
    checker = jsonschema.FormatChecker()

    @checker.checks("uri")
    def is_uri(value):
        if not isinstance(value, str):
            return True
        return bool(URI_CHARS.match(value)) and bool(urllib.parse.urlsplit(value).scheme)

    @checker.checks("uri-reference")
    def is_uri_reference(value):
        return not isinstance(value, str) or bool(URI_CHARS.match(value))

    return checker


class Verifier:
    """A loopback HTTP verifier answering every request with one status (200: accepts everything)."""

    def __init__(self, status):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/api" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Runner:
    def __init__(self, binary, source_dir, validator):
        self.binary = binary
        self.source_dir = source_dir
        self.validator = validator
        self.version = subprocess.run([binary, "--version"], capture_output=True, text=True,
                                      timeout=60).stdout.split()[-1]
        self.documents = 0

    def run(self, args, timeout=300):
        p = subprocess.run([self.binary] + args, capture_output=True, cwd=self.source_dir, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def sarif(self, args, artifact=None, expect_rc=None, compare_text=True):
        """Runs the verb with --format sarif, checks the document, returns it (or None)."""
        name = " ".join(args)
        rc, out, err = self.run(args + ["--format", "sarif"])
        if expect_rc is not None and rc != expect_rc:
            fail("%s: exit %d, expected %d (stderr: %s)" % (name, rc, expect_rc, err.decode(errors="replace")))
        if compare_text:
            text_rc, _, _ = self.run(args + ["--format", "text"])
            if text_rc != rc:
                fail("%s: exit %d with sarif but %d with text" % (name, rc, text_rc))
        if rc not in (0, 1):
            fail("%s: exit %d: %s" % (name, rc, err.decode(errors="replace")))
            return None
        try:
            doc = json.loads(out)
        except ValueError as e:
            fail("%s: not JSON: %s" % (name, e))
            return None
        errors = sorted(self.validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            fail("%s: schema: %s at %s" % (name, e.message, "/".join(map(str, e.absolute_path))))
        self.check_semantics(name, doc, artifact)
        self.documents += 1
        return doc

    def check_semantics(self, name, doc, artifact):
        if doc.get("version") != "2.1.0" or len(doc.get("runs", [])) != 1:
            fail("%s: expected version 2.1.0 and exactly one run" % name)
            return
        run = doc["runs"][0]
        driver = run["tool"]["driver"]
        if driver.get("name") != "jwt-policy" or driver.get("version") != self.version:
            fail("%s: driver %s %s, expected jwt-policy %s" % (name, driver.get("name"), driver.get("version"),
                                                                self.version))
        if not driver.get("informationUri"):
            fail("%s: no informationUri" % name)
        rules = [r["id"] for r in driver.get("rules", [])]
        if len(rules) != len(set(rules)) or not rules:
            fail("%s: rule ids empty or repeated" % name)
        if not run.get("automationDetails", {}).get("id"):
            fail("%s: no automationDetails.id" % name)
        seen = set()
        for i, result in enumerate(run["results"]):
            where = "%s: results[%d]" % (name, i)
            if result["ruleId"] not in rules:
                fail("%s: ruleId %s is not a driver rule" % (where, result["ruleId"]))
            elif result.get("ruleIndex") != rules.index(result["ruleId"]):
                fail("%s: ruleIndex %s does not point at %s" % (where, result.get("ruleIndex"), result["ruleId"]))
            if result.get("level") not in ("error", "warning", "note"):
                fail("%s: level %s" % (where, result.get("level")))
            fp = result.get("partialFingerprints", {}).get(FINGERPRINT, "")
            if not re.fullmatch(r"[0-9a-f]{64}", fp):
                fail("%s: fingerprint %r" % (where, fp))
            if fp in seen:
                fail("%s: fingerprint repeated in the run" % where)
            seen.add(fp)
            locations = result.get("locations", [])
            if not locations or "physicalLocation" not in locations[0]:
                fail("%s: no physical location" % where)
                continue
            loc = locations[0]["physicalLocation"]["artifactLocation"]
            # Files under the source directory (the current one) are relative to SRCROOT; others are file: URIs.
            base = None if artifact is None or artifact.startswith("file:") else "SRCROOT"
            if artifact is not None and (loc.get("uri") != artifact or loc.get("uriBaseId") != base):
                fail("%s: artifact %s (%s), expected %s (%s)" % (where, loc.get("uri"), loc.get("uriBaseId"),
                                                                 artifact, base))


def results(doc):
    return doc["runs"][0]["results"] if doc else []


def levels(doc):
    return {r["level"] for r in results(doc)}


def fingerprints(doc):
    return {r["partialFingerprints"][FINGERPRINT]: r for r in results(doc)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True, type=pathlib.Path)
    parser.add_argument("--jwt-policy", required=True)
    args = parser.parse_args()
    src = args.source_dir.resolve()
    schema = json.loads((src / "tests/data/sarif/sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    runner = Runner(args.jwt_policy, src, jsonschema.Draft4Validator(schema, format_checker=format_checker()))

    policies = ["resources/policies/sample.yaml", "resources/policies/sample.json", "resources/policies/weak.yaml",
                "tests/data/export/edge.yaml", "tests/data/lint/lines.yaml"]
    for policy in policies:
        runner.sarif(["lint", policy, "--at", AT], artifact=policy)
        runner.sarif(["gaps", "--policy", policy, "--at", AT], artifact=policy)
    weak_lint = runner.sarif(["lint", "resources/policies/weak.yaml", "--at", AT], expect_rc=1)
    if "error" not in levels(weak_lint):
        fail("lint of the weak policy has no error result")

    weak = runner.sarif(["selftest", "--policy", "resources/policies/weak.yaml", "--at", AT],
                        artifact="resources/policies/weak.yaml", expect_rc=1)
    if not results(weak) or levels(weak) != {"error"}:
        fail("selftest of the weak policy: expected error results, got %s" % levels(weak))
    sample = runner.sarif(["selftest", "--policy", "resources/policies/sample.yaml", "--at", AT],
                          artifact="resources/policies/sample.yaml", expect_rc=0)
    if results(sample):
        fail("selftest of the sample policy: expected no result, got %d" % len(results(sample)))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp).resolve()
        drift_dir = src / "tests/data/drift"
        configs = []
        for config in sorted(drift_dir.iterdir()):
            target = next(t for t in ("envoy", "istio", "kong") if config.name.startswith(t))
            configs.append((target, config))
        # Loosened copies: each must give error results at the loosened line.
        loosened = {
            "envoy": ("clock_skew_seconds: 30", "clock_skew_seconds: 300", "drift/clock_skew"),
            "istio": ("        - ledger-api", "        - other-api", "drift/audience"),
        }
        for target, (old, new, rule) in loosened.items():
            original = (drift_dir / ("%s-match.yaml" % target)).read_text()
            copy = tmp / ("%s-loosened.yaml" % target)
            copy.write_text(original.replace(old, new, 1))
            configs.append((target, copy))
        for target, config in configs:
            in_tree = config.parent != tmp
            argument = config.relative_to(src).as_posix() if in_tree else str(config)
            doc = runner.sarif(["drift", "--policy", "tests/data/export/edge.yaml", "--at", AT, "--" + target,
                                argument], artifact=argument if in_tree else config.as_uri())
            if config.parent == tmp:
                rule = loosened[target][2]
                hits = [r for r in results(doc) if r["ruleId"] == rule and r["level"] == "error"]
                line = next(n for n, text in enumerate(config.read_text().splitlines(), 1)
                            if loosened[target][1] in text)
                # The audience finding points at the audiences list; the skew at its own line.
                expected = line if target == "envoy" else line - 2
                if not hits or hits[0]["locations"][0]["physicalLocation"].get("region", {}).get("startLine") != expected:
                    fail("drift %s: expected a %s error at line %d, got %s" % (argument, rule, expected,
                                                                               [r["locations"] for r in hits]))

        # Probe two loopback verifiers: one accepts everything (accepts_rejected errors), one rejects
        # everything (the valid controls become rejects_accepted warnings when signed tokens are sent).
        for status, expected in ((200, "probe/accepts_rejected"), (401, None)):
            with Verifier(status) as verifier:
                doc = runner.sarif(["probe", "--policy", "resources/policies/sample.yaml", "--url", verifier.url,
                                    "--rate", "100", "--max-requests", "40", "--timeout", "5"],
                                   artifact="resources/policies/sample.yaml", compare_text=False,
                                   expect_rc=1 if expected else 0)
            if expected and not any(r["ruleId"] == expected and r["level"] == "error" for r in results(doc)):
                fail("probe of an accept-all verifier: no %s error" % expected)
            for r in results(doc):
                logical = r["locations"][0].get("logicalLocations", [{}])[0].get("fullyQualifiedName")
                if logical != verifier.url:
                    fail("probe: logical location %s, expected %s" % (logical, verifier.url))

        # estate check over the same two loopback verifiers: the accept-all one is weak (unexplained
        # acceptance errors located at its entry in the estate file, its URL the logical location).
        with Verifier(200) as accepting, Verifier(401) as rejecting:
            estate = tmp / "estate.yaml"
            entries = ""
            for name, v in (("accept-all", accepting), ("reject-all", rejecting)):
                entries += ("  - name: %s\n    kind: service\n    issuers: [\"https://login.example.com/\"]\n"
                            "    probe: {url: %s, rate: 100, max_requests: 40, timeout: 5}\n" % (name, json.dumps(v.url)))
            estate.write_text("jwt_estate: 1\npolicy: %s\nverifiers:\n%s"
                              % (json.dumps(str(src / "resources/policies/sample.yaml")), entries))
            doc = runner.sarif(["estate", "check", str(estate)], artifact=estate.as_uri(), compare_text=False,
                               expect_rc=1)
        errors = [r for r in results(doc) if r["level"] == "error"]
        if not errors or {r["ruleId"] for r in errors} != {"estate/unexplained_acceptance"}:
            fail("estate check: expected estate/unexplained_acceptance errors, got %s" % sorted({r["ruleId"] for r in errors}))
        for r in errors:
            logical = r["locations"][0].get("logicalLocations", [{}])[0].get("fullyQualifiedName")
            line = r["locations"][0]["physicalLocation"].get("region", {}).get("startLine")
            if logical != accepting.url or line != 4:
                fail("estate check: error at %s line %s, expected %s line 4" % (logical, line, accepting.url))

        # Fingerprints are the same when every line moves (comments added above and inside).
        lines_policy = src / "tests/data/lint/lines.yaml"
        moved = tmp / "lines-moved.yaml"
        text = lines_policy.read_text().splitlines(keepends=True)
        at_issuers = next(i for i, t in enumerate(text) if t.startswith("issuers:"))
        text = ["# moved down by three lines\n"] * 3 + text[:at_issuers] + ["# and two more\n"] * 2 + text[at_issuers:]
        moved.write_text("".join(text))
        before = fingerprints(runner.sarif(["lint", "tests/data/lint/lines.yaml", "--at", AT]))
        after = fingerprints(runner.sarif(["lint", str(moved), "--at", AT], artifact=moved.as_uri()))
        if not before or set(before) != set(after):
            fail("lint fingerprints changed when lines moved: %d before, %d after, %d shared"
                 % (len(before), len(after), len(set(before) & set(after))))
        for fp, r in before.items():
            if fp in after:
                old = r["locations"][0]["physicalLocation"]["region"]["startLine"]
                new = after[fp]["locations"][0]["physicalLocation"]["region"]["startLine"]
                if new != old + 5:
                    fail("%s: line %d moved to %d, expected %d" % (r["ruleId"], old, new, old + 5))
        gaps_before = fingerprints(runner.sarif(["gaps", "--policy", "tests/data/lint/lines.yaml", "--at", AT]))
        gaps_after = fingerprints(runner.sarif(["gaps", "--policy", str(moved), "--at", AT]))
        if not gaps_before or set(gaps_before) != set(gaps_after):
            fail("gaps fingerprints changed when lines moved")

    # Verbs without SARIF refuse it as a usage error.
    for refused in (["verify", "--policy", "resources/policies/sample.yaml", "resources/tokens/sample-valid.jwt"],
                    ["diff", "resources/policies/sample.yaml", "resources/policies/weak.yaml"],
                    ["export", "--policy", "resources/policies/sample.yaml", "--to", "envoy"]):
        rc, out, err = runner.run(refused + ["--format", "sarif"])
        if rc != 2 or b"ERR_USAGE_FORMAT" not in err or out:
            fail("%s --format sarif: exit %d, stderr %r, expected exit 2 with ERR_USAGE_FORMAT and no output"
                 % (refused[0], rc, err))

    print("%d SARIF documents checked, %d failure(s)" % (runner.documents, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
