// SPDX-License-Identifier: Apache-2.0
// Shared driver of the gateway schema checks (issue 24): finds the policies, exports each one with
// the built jwt-policy, parses the YAML, hands the documents to a target's validator, runs the
// validator's permanent negative cases, and prints one line per check and a closing
// "N passed, M failed" line. Usage of every check script:
//   node tests/schemas/<target>.js --jwt-policy BUILD/app/jwt-policy --source-dir SOURCE
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const kExportInstant = '2026-12-01T00:00:00Z'; // the instant tst_export uses: the sample's exception is active

function parseArgs(argv) {
    const args = {};
    for (let i = 0; i < argv.length; ++i) {
        const a = argv[i];
        if (a === '--jwt-policy' || a === '--source-dir') {
            args[a.slice(2)] = argv[++i];
        } else {
            throw new Error(`unknown argument ${a}`);
        }
    }
    if (!args['jwt-policy'] || !args['source-dir'])
        throw new Error('usage: --jwt-policy FILE --source-dir DIR');
    return args;
}

// The node packages live in tests/node/node_modules (installer/deps-node.sh installs them from the
// lockfile). A missing tree is a failure that says how to get it, never a skip.
function requireFromTests(sourceDir, name) {
    const modules = path.join(sourceDir, 'tests', 'node', 'node_modules');
    try {
        return require(require.resolve(name, { paths: [modules] }));
    } catch (e) {
        if (e.code === 'MODULE_NOT_FOUND')
            throw new Error(`npm package '${name}' is missing from ${modules}: run installer/deps-node.sh`);
        throw e;
    }
}

function nodeModulesDir(sourceDir) {
    return path.join(sourceDir, 'tests', 'node', 'node_modules');
}

// Policies to export: every sample policy, the fixtures beside these checks, and every YAML/JSON
// file under tests/data that may be one.
// `required` policies must export; the others are skipped, with the reason, when jwt-policy refuses
// them (not a policy, invalid on purpose, no issuers).
function candidatePolicies(sourceDir) {
    const out = [];
    const samples = path.join(sourceDir, 'resources', 'policies');
    for (const f of fs.readdirSync(samples).sort()) {
        if (/\.(ya?ml|json)$/.test(f))
            out.push({ file: path.join(samples, f), required: true });
    }
    // Fixtures of these checks: policies shaped to reach export paths the samples do not.
    const fixtures = path.join(sourceDir, 'tests', 'schemas', 'policies');
    for (const f of fs.readdirSync(fixtures).sort()) {
        if (/\.(ya?ml|json)$/.test(f))
            out.push({ file: path.join(fixtures, f), required: true });
    }
    const data = path.join(sourceDir, 'tests', 'data');
    // golden/ holds exports, vectors/ and keys/ key material: none of them is a policy.
    const notPolicies = new Set(['golden', 'vectors', 'keys']);
    const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) {
                if (!notPolicies.has(e.name))
                    walk(p);
            } else if (/\.(ya?ml|json)$/.test(e.name)) {
                out.push({ file: p, required: p === path.join(data, 'export', 'edge.yaml') });
            }
        }
    };
    walk(data);
    return out;
}

// Runs `jwt-policy export`; a policy refused only for its test keys is exported again as a staging
// export (--include-test-keys), which is what a staging gateway would get.
function exportPolicy(bin, policyFile, target) {
    const run = (extra) => {
        try {
            const text = execFileSync(bin, ['export', '--policy', policyFile, '--to', target, '--at', kExportInstant, ...extra],
                                      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
            return { ok: true, text };
        } catch (e) {
            if (e.status === null || e.status === undefined)
                throw new Error(`jwt-policy did not finish for ${policyFile}: ${e.message}`);
            return { ok: false, status: e.status, stderr: String(e.stderr || '').trim() };
        }
    };
    let r = run([]);
    if (!r.ok && r.stderr.includes('[ERR_EXPORT_TEST_KEYS]')) {
        r = run(['--include-test-keys']);
        r.staging = true;
    }
    return r;
}

function parseYamlDocuments(YAML, text) {
    const docs = YAML.parseAllDocuments(text, { uniqueKeys: true });
    const out = [];
    for (const d of docs) {
        if (d.errors.length)
            throw new Error(`YAML does not parse: ${d.errors.map((e) => e.message).join('; ')}`);
        const v = d.toJS({ maxAliasCount: 0 });
        if (v !== null && v !== undefined)
            out.push(v);
    }
    return out;
}

function clone(v) {
    return JSON.parse(JSON.stringify(v));
}

// target: "envoy" | "istio" | "kong"
// validator: { validate(docs) -> [error strings], negativeCases: [{name, mutate(docs), expect}] }
// where `expect` is a text that one of the errors of the broken copy must contain (its path).
function run(target, makeValidator) {
    let passed = 0;
    let failed = 0;
    const pass = (what) => { ++passed; console.log(`PASS ${what}`); };
    const fail = (what, why) => { ++failed; console.log(`FAIL ${what}\n  ${why.split('\n').join('\n  ')}`); };
    const finish = () => {
        console.log(`${passed} passed, ${failed} failed`);
        process.exit(failed === 0 && passed > 0 ? 0 : 1);
    };

    let args, YAML, validator;
    try {
        args = parseArgs(process.argv.slice(2));
        if (!fs.existsSync(args['jwt-policy']))
            throw new Error(`jwt-policy not found at ${args['jwt-policy']}: build the jwt-policy target`);
        YAML = requireFromTests(args['source-dir'], 'yaml');
        validator = makeValidator(args['source-dir']);
    } catch (e) {
        fail(`${target} schema setup`, e.message);
        finish();
        return;
    }

    let sampleDocs = null;
    for (const { file, required } of candidatePolicies(args['source-dir'])) {
        const rel = path.relative(args['source-dir'], file);
        const what = `${target} export of ${rel}`;
        const r = exportPolicy(args['jwt-policy'], file, target);
        if (!r.ok) {
            if (required)
                fail(what, `jwt-policy refused a policy that must export (exit ${r.status}): ${r.stderr}`);
            else
                console.log(`SKIP ${what}: jwt-policy refused it (exit ${r.status}): ${r.stderr.split('\n')[0]}`);
            continue;
        }
        let docs;
        try {
            docs = parseYamlDocuments(YAML, r.text);
        } catch (e) {
            fail(what, e.message);
            continue;
        }
        const errors = validator.validate(docs);
        if (errors.length)
            fail(what + (r.staging ? ' (staging)' : ''), errors.join('\n'));
        else
            pass(what + (r.staging ? ' (staging)' : ''));
        if (rel === path.join('resources', 'policies', 'sample.yaml'))
            sampleDocs = docs;
    }

    // Permanent negative cases: a broken copy of the sample export must fail with the named path,
    // so a validator that stopped looking would fail here.
    if (!sampleDocs) {
        fail(`${target} negative cases`, 'no sample export to break');
    } else {
        for (const c of validator.negativeCases) {
            const what = `${target} rejects ${c.name}`;
            const broken = clone(sampleDocs);
            c.mutate(broken);
            const errors = validator.validate(broken);
            if (errors.some((e) => e.includes(c.expect)))
                pass(`${what} (${errors.find((e) => e.includes(c.expect))})`);
            else
                fail(what, `expected an error containing "${c.expect}", got: ${errors.length ? errors.join('; ') : 'none'}`);
        }
    }
    finish();
}

module.exports = { run, requireFromTests, nodeModulesDir };
