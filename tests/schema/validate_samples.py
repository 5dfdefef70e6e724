#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks resources/schema/jwt-policy-v1.schema.json against the policies of the repository.

- every policy under resources/policies/, and every file under tests/data/ with a jwt_policy field
  (except tests/data/policies/invalid/), is valid under the schema and is loaded by the built
  jwt-policy (golden exporter outputs: schema only);
- every policy under tests/data/policies/invalid/ is rejected by the schema AND by the loader;
- `jwt-policy schema` prints the same schema.

YAML is read with YAML 1.2 scalar rules (true/false only, dates stay strings), like the loader.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import yaml

SAMPLE_TOKEN = "resources/tokens/sample-valid.jwt"
EVALUATION_INSTANT = "2026-11-01T10:10:00Z"


class PolicyYamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, no timestamps, and duplicate keys refused."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


PolicyYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PolicyYamlLoader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                       re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
PolicyYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, PolicyYamlLoader.construct_mapping)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise ValueError(f"duplicate keys {sorted(duplicates)}")
    return dict(pairs)


def read_policy(path: pathlib.Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text, object_pairs_hook=no_duplicates)
    return yaml.load(text, Loader=PolicyYamlLoader)


POLICY_MARKER = re.compile(r'^\s*"?jwt_policy"?\s*:', re.MULTILINE)


def policy_files(directory: pathlib.Path, skip_dirs=(), marked_only=False):
    """YAML/JSON files below `directory`; with `marked_only`, only those with a jwt_policy field
    (tests/data also holds gateway configurations, golden exports and key sets)."""
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.suffix not in (".yaml", ".yml", ".json"):
            continue
        if any(part in skip_dirs for part in path.relative_to(directory).parts[:-1]):
            continue
        if marked_only and not POLICY_MARKER.search(path.read_text(encoding="utf-8", errors="replace")):
            continue
        yield path


def run_loader(binary: str, policy: pathlib.Path, token: pathlib.Path):
    """Loads `policy` through jwt-policy verify: exit 2 with an ERR_POLICY_* code means refused."""
    result = subprocess.run([binary, "verify", "--policy", str(policy), "--at", EVALUATION_INSTANT, str(token)],
                            capture_output=True, text=True, timeout=60)
    refused = result.returncode == 2 and "[ERR_POLICY_" in result.stderr
    return refused, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True, type=pathlib.Path)
    parser.add_argument("--jwt-policy", required=True)
    args = parser.parse_args()

    root = args.source_dir
    schema_path = root / "resources/schema/jwt-policy-v1.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    token = root / SAMPLE_TOKEN
    failures = []

    valid = list(policy_files(root / "resources/policies")) + \
        [path for path in policy_files(root / "tests/data", skip_dirs={"keys"}, marked_only=True)
         if (root / "tests/data/policies/invalid") not in path.parents]
    invalid = list(policy_files(root / "tests/data/policies/invalid"))
    golden = root / "tests/data/golden"
    if not valid or not invalid:
        failures.append("no policies found: the test would prove nothing")

    for path in valid:
        name = path.relative_to(root)
        try:
            errors = sorted(validator.iter_errors(read_policy(path)), key=lambda e: list(e.path))
        except (ValueError, yaml.YAMLError) as e:
            failures.append(f"{name}: unreadable: {e}")
            continue
        for error in errors:
            failures.append(f"{name}: schema: {'/'.join(map(str, error.path))}: {error.message}")
        if golden in path.parents:
            # Expected exporter output: its relative key paths point next to the exported policy,
            # not into golden/, so only the schema is checked.
            print(f"valid    {name}: schema {'ok' if not errors else 'FAILED'} (golden output, not loaded)")
            continue
        refused, result = run_loader(args.jwt_policy, path, token)
        if refused or result.returncode not in (0, 1):
            failures.append(f"{name}: the loader refused a valid policy (exit {result.returncode}): "
                            f"{result.stderr.strip()}")
        print(f"valid    {name}: schema {'ok' if not errors else 'FAILED'}, loader exit {result.returncode}")

    for path in invalid:
        name = path.relative_to(root)
        try:
            document = read_policy(path)
        except (ValueError, yaml.YAMLError) as e:
            failures.append(f"{name}: invalid policies must be well-formed so the schema is what rejects them: {e}")
            continue
        errors = list(validator.iter_errors(document))
        if not errors:
            failures.append(f"{name}: the schema accepts a policy the loader must refuse")
        refused, result = run_loader(args.jwt_policy, path, token)
        if not refused:
            failures.append(f"{name}: the loader did not refuse it (exit {result.returncode}): {result.stderr.strip()}")
        print(f"invalid  {name}: schema rejects ({errors[0].message if errors else 'ACCEPTED'}); "
              f"loader: {result.stderr.strip() or 'ACCEPTED'}")

    printed = subprocess.run([args.jwt_policy, "schema"], capture_output=True, text=True, timeout=60)
    if printed.returncode != 0 or json.loads(printed.stdout or "null") != schema:
        failures.append(f"`jwt-policy schema` does not print {schema_path.relative_to(root)} "
                        f"(exit {printed.returncode})")

    for failure in failures:
        print("FAIL", failure)
    print(f"{len(valid)} valid and {len(invalid)} invalid policies checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
