#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The CI recipe of docs/ci.md, run as far as it can run here (ctest sarif_ci_recipe).

A temporary git repository with a bare `origin` holds a policy on `main`. The GitHub Actions `run` line
and the GitLab `script`/`after_script` lines are taken from the YAML examples in docs/ci.md and run in a
clone with the environment those systems would give them; installer/ci/policy-check.sh (copied to
ci/ as the docs say) does the work. Checked: a tightening change exits 0 and writes SARIF that validates
against the SARIF 2.1.0 schema, a loosening change exits 1 unless labelled as an approved exception, the
pre-commit hook stops a loosening commit and lets a tightening one through, a push to main checks every
policy, a policy that does not load exits 2.
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

AT = "2026-11-22T00:00:00Z"
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def expect(condition, message):
    if not condition:
        fail(message)


def doc_blocks(ci_md):
    """The YAML examples of docs/ci.md, by the file they stand for ("# file: NAME" first line)."""
    blocks = {}
    for body in re.findall(r"```yaml\n(.*?)```", ci_md, re.S):
        first = body.splitlines()[0]
        m = re.match(r"#\s*file:\s*(\S+)", first)
        if m:
            blocks[m.group(1)] = yaml.safe_load(body)
    return blocks


class Repo:
    def __init__(self, root, env):
        self.root = root
        self.env = env

    def git(self, *args, cwd=None, check=True):
        p = subprocess.run(["git"] + list(args), cwd=cwd or self.root, env=self.env, capture_output=True, text=True,
                           timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError("git %s: %s" % (" ".join(args), p.stderr))
        return p

    def shell(self, script, extra_env=None):
        env = dict(self.env)
        env.update(extra_env or {})
        p = subprocess.run(["bash", "-c", script], cwd=self.root, env=env, capture_output=True, text=True, timeout=600)
        return p.returncode, p.stdout + p.stderr

    def edit(self, path, old, new):
        f = self.root / path
        text = f.read_text()
        if old not in text:
            raise RuntimeError("%s: %r not found" % (path, old))
        f.write_text(text.replace(old, new, 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True, type=pathlib.Path)
    parser.add_argument("--jwt-policy", required=True)
    args = parser.parse_args()
    src = args.source_dir.resolve()
    binary = str(pathlib.Path(args.jwt_policy).resolve())
    schema = json.loads((src / "tests/data/sarif/sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.Draft4Validator(schema)

    if not shutil.which("git"):
        fail("git is not installed: the CI recipe runs in a git repository (apt-get install git)")
        return 1
    blocks = doc_blocks((src / "docs/ci.md").read_text())
    workflow = blocks.get(".github/workflows/policy.yml")
    gitlab = blocks.get(".gitlab-ci.yml")
    if not workflow or not gitlab:
        fail("docs/ci.md lacks the GitHub workflow or the GitLab CI example")
        return 1
    steps = workflow["jobs"]["policy-check"]["steps"]
    check_steps = [s for s in steps if "policy-check.sh" in s.get("run", "")]
    expect(len(check_steps) == 1, "the workflow has one step running policy-check.sh")
    github_run = check_steps[0]["run"]
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    expect(upload and upload[0]["with"]["sarif_file"] in github_run, "upload-sarif takes the --out directory")
    job = gitlab["policy-check"]
    gitlab_script = "set -e\n" + "\n".join(job["script"])
    gitlab_after = "\n".join(job["after_script"])
    expect(job["artifacts"]["reports"]["codequality"] in gitlab_after, "the codequality report is what after_script writes")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "CI_", "POLICY_"))}
        env.update({"HOME": str(tmp), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.com",
                    "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.com", "JWT_POLICY": binary,
                    "POLICY_CHECK_AT": AT, "LC_ALL": "C.UTF-8"})
        origin = tmp / "origin.git"
        seed = tmp / "seed"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], env=env, check=True)
        subprocess.run(["git", "init", "-q", "-b", "main", str(seed)], env=env, check=True)
        repo = Repo(seed, env)
        (seed / "policies").mkdir()
        shutil.copy(src / "resources/policies/sample.yaml", seed / "policies/sample.yaml")
        (seed / "ci").mkdir()
        for name in ("policy-check.sh", "pre-commit-policy.sh", "sarif-to-codequality.py"):
            shutil.copy(src / "installer/ci" / name, seed / "ci" / name)
        repo.git("add", ".")
        repo.git("commit", "-q", "-m", "policy")
        repo.git("remote", "add", "origin", str(origin))
        repo.git("push", "-q", "origin", "main")
        work = tmp / "work"
        repo.git("clone", "-q", str(origin), str(work), cwd=tmp)
        repo = Repo(work, env)

        def github(label=False):
            approved = "true" if label else "false"  # ${{ contains(...labels..., 'policy-exception-approved') }}
            shutil.rmtree(work / "policy-check", ignore_errors=True)
            return repo.shell(github_run, {"GITHUB_BASE_REF": "main", "POLICY_LOOSENING_APPROVED": approved})

        def gitlab_mr(labels=""):
            shutil.rmtree(work / "policy-check", ignore_errors=True)
            mr = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_LABELS": labels}
            rc, log = repo.shell(gitlab_script, mr)
            after_rc, after_log = repo.shell(gitlab_after, mr)
            return rc, log, after_rc, after_log

        def sarif_files(expect_results_level=None):
            files = sorted((work / "policy-check").glob("*.sarif"))
            names = {f.name for f in files}
            for verb in ("lint", "selftest", "gaps"):
                expect("policies_sample.yaml.%s.sarif" % verb in names, "no %s SARIF file (have %s)" % (verb, names))
            for f in files:
                doc = json.loads(f.read_text())
                for e in list(validator.iter_errors(doc))[:3]:
                    fail("%s: schema: %s" % (f.name, e.message))
                for r in doc["runs"][0]["results"]:
                    uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    expect(uri == "policies/sample.yaml", "%s: artifact %s, expected policies/sample.yaml" % (f.name, uri))
            return files

        # A tightening change on a branch passes, on GitHub and on GitLab.
        repo.git("checkout", "-q", "-b", "tighten")
        repo.edit("policies/sample.yaml", "  clock_skew_seconds: 30", "  clock_skew_seconds: 20")
        repo.git("commit", "-q", "-am", "tighten the default skew")
        rc, log = github()
        expect(rc == 0, "github, tightening: exit %d\n%s" % (rc, log))
        expect("diff against origin/main" in log, "github, tightening: the diff did not run\n" + log)
        sarif_files()
        rc, log, after_rc, after_log = gitlab_mr()
        expect(rc == 0, "gitlab, tightening: exit %d\n%s" % (rc, log))
        expect(after_rc == 0, "gitlab after_script: exit %d\n%s" % (after_rc, after_log))
        report = json.loads((work / "gl-code-quality-report.json").read_text())
        expect(isinstance(report, list) and report, "the Code Quality report is a non-empty list")
        for issue in report:
            expect(re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"]) and issue["location"]["path"] == "policies/sample.yaml"
                   and issue["location"]["lines"]["begin"] >= 1 and issue["severity"] in ("info", "major", "critical"),
                   "code quality issue %s" % issue)

        # A loosening change fails, unless labelled as an approved exception.
        repo.git("checkout", "-q", "-b", "loosen", "origin/main")
        repo.edit("policies/sample.yaml", "  clock_skew_seconds: 30", "  clock_skew_seconds: 45")
        repo.git("commit", "-q", "-am", "loosen the default skew")
        rc, log = github()
        expect(rc == 1, "github, loosening: exit %d, expected 1\n%s" % (rc, log))
        expect("FAILED  diff against origin/main" in log, "github, loosening: the diff is not the failed check\n" + log)
        sarif_files()
        rc, log = github(label=True)
        expect(rc == 0, "github, loosening with the approval label: exit %d\n%s" % (rc, log))
        rc, log, _, _ = gitlab_mr()
        expect(rc == 1, "gitlab, loosening: exit %d, expected 1\n%s" % (rc, log))
        rc, log, _, _ = gitlab_mr("security,policy-exception-approved")
        expect(rc == 0, "gitlab, loosening with the approval label: exit %d\n%s" % (rc, log))

        # A push to main (no base): every policy is checked, nothing diffed.
        repo.git("checkout", "-q", "main")
        shutil.rmtree(work / "policy-check", ignore_errors=True)
        rc, log = repo.shell(github_run, {"POLICY_LOOSENING_APPROVED": "false"})
        expect(rc == 0 and "diff" not in log, "github, push: exit %d\n%s" % (rc, log))
        sarif_files()

        # The pre-commit hook: a loosening commit is stopped, a tightening one goes through.
        (work / ".git/hooks/pre-commit").symlink_to("../../ci/pre-commit-policy.sh")
        repo.edit("policies/sample.yaml", "  clock_skew_seconds: 30", "  clock_skew_seconds: 50")
        repo.git("add", "policies/sample.yaml")
        p = repo.git("commit", "-q", "-m", "loosen", check=False)
        expect(p.returncode != 0 and "commit stopped" in p.stderr, "pre-commit, loosening: exit %d\n%s%s"
               % (p.returncode, p.stdout, p.stderr))
        repo.edit("policies/sample.yaml", "  clock_skew_seconds: 50", "  clock_skew_seconds: 15")
        repo.git("add", "policies/sample.yaml")
        p = repo.git("commit", "-q", "-m", "tighten", check=False)
        expect(p.returncode == 0, "pre-commit, tightening: exit %d\n%s%s" % (p.returncode, p.stdout, p.stderr))

        # A policy that does not load is an input error.
        (work / "policies/broken.yaml").write_text("jwt_policy: 1\nname: [unterminated\n")
        rc, log = repo.shell("ci/policy-check.sh --out policy-check policies/broken.yaml")
        expect(rc == 2, "a policy that does not load: exit %d, expected 2\n%s" % (rc, log))

    print("CI recipe: %d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
