#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""SARIF files of jwt-policy -> one GitLab Code Quality report (artifacts:reports:codequality).

GitLab has no report type that takes SARIF; its Code Quality report (a JSON array of issues with
description, check_name, fingerprint, severity and location.path/lines.begin) shows in the merge
request widget on every tier. Usage:

    sarif-to-codequality.py OUTPUT.json SARIF...

Levels map error -> critical, warning -> major, note -> info. The fingerprint is jwt-policy's own
(partialFingerprints "jwtPolicyFinding/v1"), so GitLab tracks a finding across revisions as code
scanning does. Results located by an absolute file: URI are given the path relative to the current
directory when they lie under it.
"""

import json
import os
import sys
import urllib.parse

SEVERITY = {"error": "critical", "warning": "major", "note": "info", "none": "info"}


def artifact_path(uri):
    parsed = urllib.parse.urlsplit(uri)
    path = urllib.parse.unquote(parsed.path)
    if parsed.scheme == "file":
        relative = os.path.relpath(path)
        return path if relative.startswith("..") else relative
    return path


def issues(sarif):
    for run in sarif.get("runs", []):
        for result in run.get("results", []):
            location = (result.get("locations") or [{}])[0].get("physicalLocation", {})
            uri = location.get("artifactLocation", {}).get("uri", "")
            line = location.get("region", {}).get("startLine", 1)
            fingerprint = result.get("partialFingerprints", {}).get("jwtPolicyFinding/v1", "")
            yield {
                "description": result.get("message", {}).get("text", ""),
                "check_name": "jwt-policy/" + result.get("ruleId", ""),
                "fingerprint": fingerprint,
                "severity": SEVERITY.get(result.get("level", "warning"), "major"),
                "location": {"path": artifact_path(uri), "lines": {"begin": line}},
            }


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    report = []
    for name in argv[1:]:
        try:
            with open(name, encoding="utf-8") as f:
                report.extend(issues(json.load(f)))
        except (OSError, ValueError) as e:
            print("sarif-to-codequality: %s: %s" % (name, e), file=sys.stderr)
            return 2
    with open(argv[0], "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    print("sarif-to-codequality: %d issue(s) from %d SARIF file(s) -> %s" % (len(report), len(argv) - 1, argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
