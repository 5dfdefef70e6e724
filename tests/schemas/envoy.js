// SPDX-License-Identifier: Apache-2.0
// The Envoy export against Envoy's own protos: the document is an HttpFilter
// (envoy.extensions.filters.network.http_connection_manager.v3) whose typed_config is a
// JwtAuthentication (envoy.extensions.filters.http.jwt_authn.v3), walked field by field by
// proto_walker.js over the protos @grpc/grpc-js-xds ships (envoy-api, xds/udpa, protoc-gen-validate,
// googleapis) loaded with protobufjs. What the walker checks and does not is said at its top.
// Beyond the protos, this file checks what Envoy refuses or breaks on at load time and no option
// states: the filter name and type URL, rules naming only configured providers, and inline JWKS
// that parse as a JWKS with keys.
'use strict';

const fs = require('fs');
const path = require('path');
const harness = require('./harness');
const { ProtoWalker } = require('./proto_walker');

const kFilterType = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter';
const kJwtAuthnUrl = 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication';
const kFilterName = 'envoy.filters.http.jwt_authn';

function loadRoot(sourceDir) {
    const protobuf = harness.requireFromTests(sourceDir, 'protobufjs');
    const modules = harness.nodeModulesDir(sourceDir);
    const deps = path.join(modules, '@grpc', 'grpc-js-xds', 'deps');
    // Import roots, in the order protoc would get them as -I; protobufjs itself ships
    // google/protobuf/descriptor.proto, which the option protos import.
    const includes = ['envoy-api', 'xds', 'protoc-gen-validate', 'googleapis'].map((d) => path.join(deps, d))
        .concat([path.join(modules, 'protobufjs')]);
    for (const dir of includes) {
        if (!fs.existsSync(dir))
            throw new Error(`proto include ${dir} is missing: run installer/deps-node.sh`);
    }
    const root = new protobuf.Root();
    root.resolvePath = (origin, target) => {
        for (const dir of includes) {
            const candidate = path.join(dir, target);
            if (fs.existsSync(candidate))
                return candidate;
        }
        return protobuf.util.path.resolve(origin, target);
    };
    root.loadSync([
        'envoy/extensions/filters/http/jwt_authn/v3/config.proto',
        'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
    ], { keepCase: true });
    root.resolveAll();
    return root;
}

// Every provider_name a requirement names, with its path.
function providerRefs(req, p, out) {
    if (!req || typeof req !== 'object')
        return out;
    if (typeof req.provider_name === 'string')
        out.push([`${p}.provider_name`, req.provider_name]);
    if (req.provider_and_audiences && typeof req.provider_and_audiences.provider_name === 'string')
        out.push([`${p}.provider_and_audiences.provider_name`, req.provider_and_audiences.provider_name]);
    for (const list of ['requires_any', 'requires_all']) {
        const reqs = req[list] && req[list].requirements;
        if (Array.isArray(reqs))
            reqs.forEach((r, i) => providerRefs(r, `${p}.${list}.requirements[${i}]`, out));
    }
    return out;
}

function envoyFacts(doc, errors) {
    if (doc.name !== kFilterName)
        errors.push(`name: must be ${kFilterName}, got ${JSON.stringify(doc.name)}`);
    const tc = doc.typed_config;
    if (!tc || typeof tc !== 'object')
        return;
    if (tc['@type'] !== kJwtAuthnUrl)
        errors.push(`typed_config.@type: must be ${kJwtAuthnUrl} for ${kFilterName}`);
    const providers = tc.providers && typeof tc.providers === 'object' ? tc.providers : {};
    const refs = [];
    (Array.isArray(tc.rules) ? tc.rules : []).forEach((rule, i) => providerRefs(rule && rule.requires, `typed_config.rules[${i}].requires`, refs));
    for (const [name, req] of Object.entries(tc.requirement_map || {}))
        providerRefs(req, `typed_config.requirement_map.${name}`, refs);
    for (const [p, name] of refs) {
        if (!(name in providers))
            errors.push(`${p}: provider ${JSON.stringify(name)} is not configured in typed_config.providers`);
    }
    for (const [name, prov] of Object.entries(providers)) {
        const inline = prov && prov.local_jwks && prov.local_jwks.inline_string;
        if (typeof inline !== 'string')
            continue;
        const p = `typed_config.providers.${name}.local_jwks.inline_string`;
        try {
            const jwks = JSON.parse(inline);
            if (!Array.isArray(jwks.keys) || jwks.keys.length === 0)
                errors.push(`${p}: a JWKS needs a non-empty "keys" list`);
            else
                jwks.keys.forEach((k, i) => { if (!k || typeof k.kty !== 'string') errors.push(`${p}: keys[${i}] has no kty`); });
        } catch (e) {
            errors.push(`${p}: not JSON (${e.message})`);
        }
    }
}

function makeValidator(sourceDir) {
    const root = loadRoot(sourceDir);
    const walker = new ProtoWalker(root);
    const filterType = root.lookupType(kFilterType);
    return {
        validate(docs) {
            if (docs.length !== 1)
                return [`<root>: expected one YAML document (the http filter entry), got ${docs.length}`];
            const errors = walker.checkMessage(filterType, docs[0], '');
            envoyFacts(docs[0], errors);
            return errors;
        },
        negativeCases: [
            { name: 'an unknown field, with its path',
              mutate: (d) => { d[0].typed_config.providers.workforce.local_jwks.inline_strng = 'x'; },
              expect: 'typed_config.providers.workforce.local_jwks.inline_strng: unknown field' },
            { name: 'a misspelt provider field',
              mutate: (d) => { d[0].typed_config.providers.partners.audience = ['partner-api']; },
              expect: 'typed_config.providers.partners.audience: unknown field' },
            { name: 'a string where a uint32 goes',
              mutate: (d) => { d[0].typed_config.providers.workforce.clock_skew_seconds = 'thirty'; },
              expect: 'typed_config.providers.workforce.clock_skew_seconds: expected an integer (uint32)' },
            { name: 'a negative uint32',
              mutate: (d) => { d[0].typed_config.providers.workforce.clock_skew_seconds = -1; },
              expect: 'typed_config.providers.workforce.clock_skew_seconds: -1 is out of the uint32 range' },
            { name: 'a Duration without its unit',
              mutate: (d) => { d[0].typed_config.providers.workforce.max_lifetime = 3600; },
              expect: 'typed_config.providers.workforce.max_lifetime: expected a google.protobuf.Duration string' },
            { name: 'a scalar where a list goes',
              mutate: (d) => { d[0].typed_config.providers.workforce.audiences = 'payments-api'; },
              expect: 'typed_config.providers.workforce.audiences: expected a list' },
            { name: 'a string where a bool goes',
              mutate: (d) => { d[0].typed_config.providers.workforce.require_expiration = 'yes'; },
              expect: 'typed_config.providers.workforce.require_expiration: expected a bool' },
            { name: 'both members of the JWKS oneof',
              mutate: (d) => {
                  d[0].typed_config.providers.workforce.remote_jwks = { http_uri: { uri: 'https://k/', cluster: 'c', timeout: '5s' } };
              },
              expect: 'typed_config.providers.workforce: oneof jwks_source_specifier has more than one member set' },
            { name: 'a provider without a JWKS source (validate.required oneof)',
              mutate: (d) => { delete d[0].typed_config.providers.workforce.local_jwks; },
              expect: 'typed_config.providers.workforce: oneof jwks_source_specifier requires one of' },
            { name: 'an unknown field inside remote_jwks.http_uri',
              mutate: (d) => {
                  const p = d[0].typed_config.providers.workforce;
                  delete p.local_jwks;
                  p.remote_jwks = { http_uri: { uri: 'https://k/', cluster: 'c', timout: '5s' } };
              },
              expect: 'typed_config.providers.workforce.remote_jwks.http_uri.timout: unknown field' },
            { name: 'http_uri without its required timeout (PGV duration.required)',
              mutate: (d) => {
                  const p = d[0].typed_config.providers.workforce;
                  delete p.local_jwks;
                  p.remote_jwks = { http_uri: { uri: 'https://k/', cluster: 'c' } };
              },
              expect: 'typed_config.providers.workforce.remote_jwks.http_uri.timeout: required field missing' },
            { name: 'an empty header name (PGV min_len)',
              mutate: (d) => { d[0].typed_config.providers.workforce.from_headers[0].name = ''; },
              expect: 'typed_config.providers.workforce.from_headers[0].name: at least 1 characters required' },
            { name: 'requires_any with one requirement (PGV min_items 2)',
              mutate: (d) => { d[0].typed_config.rules[0].requires.requires_any.requirements.splice(1); },
              expect: 'typed_config.rules[0].requires.requires_any.requirements: at least 2 items required' },
            { name: 'a rule without a match (PGV message.required)',
              mutate: (d) => { delete d[0].typed_config.rules[0].match; },
              expect: 'typed_config.rules[0].match: required field missing' },
            { name: 'an Any whose @type resolves to no loaded message',
              mutate: (d) => { d[0].typed_config['@type'] = 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthenticaton'; },
              expect: 'typed_config.@type: type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthenticaton names no message' },
            { name: 'a rule naming a provider that is not configured',
              mutate: (d) => { d[0].typed_config.rules[0].requires.requires_any.requirements[0].provider_name = 'workforse'; },
              expect: 'typed_config.rules[0].requires.requires_any.requirements[0].provider_name: provider "workforse" is not configured' },
            { name: 'an inline JWKS that is not JSON',
              mutate: (d) => { d[0].typed_config.providers.partners.local_jwks.inline_string = '{"keys":['; },
              expect: 'typed_config.providers.partners.local_jwks.inline_string: not JSON' },
            { name: 'an inline JWKS without keys (what an HMAC-only issuer once got)',
              mutate: (d) => { d[0].typed_config.providers.partners.local_jwks.inline_string = '{"keys":[]}'; },
              expect: 'typed_config.providers.partners.local_jwks.inline_string: a JWKS needs a non-empty "keys" list' },
            { name: 'an unknown field at the filter level',
              mutate: (d) => { d[0].typed_confg = {}; },
              expect: 'typed_confg: unknown field' },
            { name: 'the camelCase and snake_case names of one field together',
              mutate: (d) => { d[0].typed_config.providers.workforce.fromHeaders = [{ name: 'x' }]; },
              expect: 'typed_config.providers.workforce.fromHeaders: field from_headers set twice' },
        ],
    };
}

if (require.main === module)
    harness.run('envoy', makeValidator);

module.exports = { makeValidator };
