// SPDX-License-Identifier: Apache-2.0
// The Istio export against the security.istio.io schemas of @kubernetes-models/istio 2.3.0 (its
// models are generated from the Istio 1.18.0 CRDs): each YAML document is built with the package's
// class for its apiVersion and kind and validate() is called; its errors fail the export.
//
// What validate() does not see: the package's schemas never set additionalProperties: false, so an
// unknown field (jwksUrl for jwksUri) passes it, while `kubectl apply` (strict field validation,
// the default since Kubernetes 1.25) refuses it. So the schemas the package registers are captured
// as it registers them, and every object is also walked against them here: a key its schema does
// not declare is an "unknown field". Objects whose schema declares no properties at all (status,
// preserved unknown fields) are free-form and not walked.
// Beyond the CRD schema, from the field behaviour of istio/api security/v1/jwt.proto: a jwtRule
// needs its issuer, a fromHeaders entry its name, and only one of jwks and jwksUri is used; and
// the inline jwks must be a JWKS with keys (a rule whose keys do not parse rejects every token).
'use strict';

const path = require('path');
const harness = require('./harness');

const kKinds = {
    'security.istio.io/v1 RequestAuthentication': 'security.istio.io/v1/RequestAuthentication',
    'security.istio.io/v1 AuthorizationPolicy': 'security.istio.io/v1/AuthorizationPolicy',
    'security.istio.io/v1beta1 RequestAuthentication': 'security.istio.io/v1beta1/RequestAuthentication',
    'security.istio.io/v1beta1 AuthorizationPolicy': 'security.istio.io/v1beta1/AuthorizationPolicy',
};

function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function keyPath(base, key) {
    const k = /^[A-Za-z_][A-Za-z0-9_\-]*$/.test(key) ? key : JSON.stringify(key);
    return base ? `${base}.${k}` : k;
}

class StrictWalker {
    constructor(schemas) {
        this.schemas = schemas; // id -> schema, as registered by the package
    }

    resolve(schema) {
        let s = schema;
        for (let i = 0; s && s.$ref && i < 8; ++i) {
            const id = s.$ref.replace(/#$/, '');
            s = this.schemas.get(id);
            if (!s)
                return { unresolved: id };
        }
        return s;
    }

    // The object schemas a value may match: oneOf / anyOf branches that are not "null".
    branches(schema) {
        const s = this.resolve(schema);
        if (!s)
            return [];
        if (s.unresolved)
            return [s];
        // A schema may carry its own properties beside oneOf / anyOf / allOf constraints (the
        // AuthorizationPolicy spec does): both count.
        const own = { ...s };
        delete own.oneOf;
        delete own.anyOf;
        delete own.allOf;
        const out = [own];
        for (const b of [...(s.oneOf || []), ...(s.anyOf || []), ...(s.allOf || [])])
            out.push(...this.branches(b));
        return out.filter((b) => b.type !== 'null');
    }

    walk(schema, value, p, errors) {
        const branches = this.branches(schema);
        for (const b of branches) {
            if (b.unresolved) {
                errors.push(`${p || '<root>'}: schema ${b.unresolved} was not captured`);
                return;
            }
        }
        if (Array.isArray(value)) {
            const items = branches.map((b) => b.items).filter(Boolean);
            if (items.length)
                value.forEach((v, i) => this.walk(items[0], v, `${p}[${i}]`, errors));
            return;
        }
        if (!isPlainObject(value))
            return;
        const objects = branches.filter((b) => b.properties || b.additionalProperties !== undefined);
        if (!objects.length || objects.some((b) => b['x-kubernetes-preserve-unknown-fields']))
            return;
        const declared = objects.every((b) => !b.properties || Object.keys(b.properties).length === 0) &&
            objects.every((b) => b.additionalProperties === undefined);
        if (declared)
            return; // free-form object: nothing declared to compare with
        for (const [k, v] of Object.entries(value)) {
            const owner = objects.find((b) => b.properties && Object.prototype.hasOwnProperty.call(b.properties, k));
            if (owner) {
                this.walk(owner.properties[k], v, keyPath(p, k), errors);
                continue;
            }
            const open = objects.find((b) => b.additionalProperties !== undefined && b.additionalProperties !== false);
            if (open) {
                if (isPlainObject(open.additionalProperties))
                    this.walk(open.additionalProperties, v, keyPath(p, k), errors);
                continue;
            }
            errors.push(`${keyPath(p, k)}: unknown field`);
        }
    }
}

function istioFacts(doc, errors) {
    if (doc.kind !== 'RequestAuthentication' || !isPlainObject(doc.spec) || !Array.isArray(doc.spec.jwtRules))
        return;
    doc.spec.jwtRules.forEach((rule, i) => {
        const p = `spec.jwtRules[${i}]`;
        if (!isPlainObject(rule))
            return;
        if (typeof rule.issuer !== 'string' || rule.issuer === '')
            errors.push(`${p}.issuer: required field missing`);
        const uri = rule.jwksUri !== undefined ? 'jwksUri' : rule.jwks_uri !== undefined ? 'jwks_uri' : null;
        if (uri && rule.jwks !== undefined)
            errors.push(`${p}: only one of jwks and ${uri} may be set`);
        if (uri && typeof rule[uri] === 'string' && !/^https?:\/\/[^/]+/.test(rule[uri]))
            errors.push(`${p}.${uri}: not an http(s) URL`);
        if (typeof rule.jwks === 'string') {
            try {
                const jwks = JSON.parse(rule.jwks);
                if (!Array.isArray(jwks.keys) || jwks.keys.length === 0)
                    errors.push(`${p}.jwks: a JWKS needs a non-empty "keys" list`);
            } catch (e) {
                errors.push(`${p}.jwks: not JSON (${e.message})`);
            }
        }
        (Array.isArray(rule.fromHeaders) ? rule.fromHeaders : []).forEach((h, j) => {
            if (!isPlainObject(h) || typeof h.name !== 'string' || h.name === '')
                errors.push(`${p}.fromHeaders[${j}].name: required field missing`);
        });
    });
}

function docLabel(doc, i) {
    return `document ${i + 1}${doc && doc.kind ? ` (${doc.kind})` : ''}`;
}

function makeValidator(sourceDir) {
    // Capture each schema as the package registers it with its validator (models register lazily,
    // on their first validate()), so the unknown-field walk reads exactly what validate() reads.
    const istioDir = path.dirname(require.resolve('@kubernetes-models/istio/package.json',
                                                  { paths: [harness.nodeModulesDir(sourceDir)] }));
    const validateModule = require(require.resolve('@kubernetes-models/validate', { paths: [istioDir] }));
    const schemas = new Map();
    const register = validateModule.register;
    validateModule.register = (id, schema) => {
        schemas.set(id, schema);
        return register(id, schema);
    };
    const models = {};
    for (const [key, sub] of Object.entries(kKinds))
        models[key] = harness.requireFromTests(sourceDir, `@kubernetes-models/istio/${sub}`)[sub.split('/').pop()];
    const walker = new StrictWalker(schemas);

    return {
        validate(docs) {
            const errors = [];
            if (docs.length === 0)
                errors.push('<root>: no YAML document');
            docs.forEach((doc, i) => {
                const label = docLabel(doc, i);
                const Model = isPlainObject(doc) ? models[`${doc.apiVersion} ${doc.kind}`] : undefined;
                if (!Model) {
                    errors.push(`${label}: apiVersion/kind ${doc && doc.apiVersion} ${doc && doc.kind} is not a security.istio.io resource this check knows`);
                    return;
                }
                const model = new Model(doc);
                const schemaId = `${doc.apiVersion.replace('/', '.')}.${doc.kind}`;
                try {
                    model.validate();
                } catch (e) {
                    const list = Array.isArray(e.errors) ? e.errors : [{ instancePath: '', message: e.message }];
                    for (const err of list)
                        errors.push(`${label}: ${err.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.') || '<root>'}: ${err.message} (validate())`);
                }
                const mine = [];
                if (!schemas.has(schemaId))
                    mine.push(`<root>: schema ${schemaId} was not captured from the package`);
                else
                    walker.walk(schemas.get(schemaId), doc, '', mine);
                istioFacts(doc, mine);
                for (const m of mine)
                    errors.push(`${label}: ${m}`);
            });
            return errors;
        },
        negativeCases: [
            { name: 'an unknown field in a jwtRule (validate() alone lets it pass)',
              mutate: (d) => { d[0].spec.jwtRules[0].jwksUrl = 'https://k/'; },
              expect: 'document 1 (RequestAuthentication): spec.jwtRules[0].jwksUrl: unknown field' },
            { name: 'an unknown field in the AuthorizationPolicy source',
              mutate: (d) => { d[1].spec.rules[0].from[0].source.requestPrincipal = ['x/y']; },
              expect: 'document 2 (AuthorizationPolicy): spec.rules[0].from[0].source.requestPrincipal: unknown field' },
            { name: 'an unknown field in metadata (ObjectMeta through $ref)',
              mutate: (d) => { d[0].metadata.namespce = 'payments'; },
              expect: 'document 1 (RequestAuthentication): metadata.namespce: unknown field' },
            { name: 'a string where audiences takes a list (validate())',
              mutate: (d) => { d[0].spec.jwtRules[0].audiences = 'payments-api'; },
              expect: 'document 1 (RequestAuthentication): spec.jwtRules[0].audiences: must be array (validate())' },
            { name: 'a number where the issuer string goes (validate())',
              mutate: (d) => { d[0].spec.jwtRules[0].issuer = 42; },
              expect: 'spec.jwtRules[0].issuer: must be string (validate())' },
            { name: 'an action outside ALLOW/DENY/AUDIT/CUSTOM (validate())',
              mutate: (d) => { d[1].spec.action = 'PERMIT'; },
              expect: 'document 2 (AuthorizationPolicy): spec.action: must be equal to one of the allowed values (validate())' },
            { name: 'a wrong kind for the apiVersion',
              mutate: (d) => { d[0].kind = 'RequestAuthenticaton'; },
              expect: 'is not a security.istio.io resource this check knows' },
            { name: 'a jwtRule without its issuer',
              mutate: (d) => { delete d[0].spec.jwtRules[0].issuer; },
              expect: 'document 1 (RequestAuthentication): spec.jwtRules[0].issuer: required field missing' },
            { name: 'a jwtRule with both jwks and jwksUri',
              mutate: (d) => { d[0].spec.jwtRules[0].jwksUri = 'https://keys.example.com/jwks.json'; },
              expect: 'document 1 (RequestAuthentication): spec.jwtRules[0]: only one of jwks and jwksUri may be set' },
            { name: 'a fromHeaders entry without a name',
              mutate: (d) => { d[0].spec.jwtRules[0].fromHeaders[0] = { prefix: 'Bearer ' }; },
              expect: 'document 1 (RequestAuthentication): spec.jwtRules[0].fromHeaders[0].name: required field missing' },
            { name: 'an inline jwks that is not JSON',
              mutate: (d) => { d[0].spec.jwtRules[0].jwks = '{"keys": ['; },
              expect: 'document 1 (RequestAuthentication): spec.jwtRules[0].jwks: not JSON' },
            { name: 'an inline jwks without keys (what an HMAC-only issuer once got)',
              mutate: (d) => { d[0].spec.jwtRules[1].jwks = '{"keys":[]}'; },
              expect: 'document 1 (RequestAuthentication): spec.jwtRules[1].jwks: a JWKS needs a non-empty "keys" list' },
            { name: 'a non-string label value (matchLabels additionalProperties, validate())',
              mutate: (d) => { d[0].spec.selector = { matchLabels: { app: 7 } }; },
              expect: 'spec.selector.matchLabels.app: must be string (validate())' },
        ],
    };
}

if (require.main === module)
    harness.run('istio', makeValidator);

module.exports = { makeValidator };
