// SPDX-License-Identifier: Apache-2.0
// The Kong export (decK-style declarative configuration, _format_version "3.0") against the schema
// facts of Kong's jwt plugin and its jwt_secrets credential. No Kong schema runs here, so the facts
// are written down below with their source:
// - jwt plugin config (Kong kong/plugins/jwt/schema.lua; developer.konghq.com/plugins/jwt, its
//   configuration reference): uri_param_names, cookie_names, header_names are sets of strings;
//   key_claim_name a string (default iss); secret_is_base64 and run_on_preflight booleans;
//   claims_to_verify a set whose elements are only "exp" or "nbf"; anonymous and realm strings;
//   maximum_expiration a number between 0 and 31536000 (365 days), and when above 0
//   claims_to_verify must contain "exp" (the schema's entity check). Any other key is refused.
// - jwt_secrets credential (Kong kong/plugins/jwt/daos.lua; the plugin changelog, 3.7.0.0 added
//   ES512, PS256, PS384, PS512 and EdDSA): key (string, unique: it is the credential's lookup key),
//   secret, rsa_public_key, algorithm one of HS256 HS384 HS512 RS256 RS384 RS512 ES256 ES384 ES512
//   PS256 PS384 PS512 EdDSA, tags, id; an asymmetric algorithm requires rsa_public_key, a public key
//   Kong can load (the entity check). Here it must also be a key that algorithm verifies with
//   (RSA for RS/PS, the matching EC curve for ES, Ed25519/Ed448 for EdDSA), because a mismatch
//   loads but rejects every token.
// - around them, what decK reads: top-level keys, services (name, url or host, routes, plugins),
//   routes (paths starting with "/" or "~"), consumers (username or custom_id) and plugins (name,
//   config, enabled, protocols, tags), checked for the keys this export can use; fields of those
//   entities the export never writes are accepted by name only, not by value.
'use strict';

const crypto = require('crypto');
const harness = require('./harness');

const kMaxExpiration = 31536000;
const kAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512',
                     'PS256', 'PS384', 'PS512', 'EdDSA'];
const kSince37 = new Set(['ES512', 'PS256', 'PS384', 'PS512', 'EdDSA']);
const kEcCurve = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

const kTopLevel = ['_format_version', '_transform', '_info', '_workspace', '_konnect', 'services', 'routes',
                   'consumers', 'plugins', 'upstreams', 'certificates', 'ca_certificates', 'snis',
                   'consumer_groups', 'vaults', 'keys', 'key_sets', 'partials'];
const kServiceFields = ['id', 'name', 'url', 'protocol', 'host', 'port', 'path', 'retries', 'connect_timeout',
                        'write_timeout', 'read_timeout', 'tags', 'client_certificate', 'tls_verify',
                        'tls_verify_depth', 'ca_certificates', 'enabled', 'routes', 'plugins'];
const kRouteFields = ['id', 'name', 'protocols', 'methods', 'hosts', 'paths', 'headers', 'https_redirect_status_code',
                      'regex_priority', 'strip_path', 'path_handling', 'preserve_host', 'request_buffering',
                      'response_buffering', 'snis', 'sources', 'destinations', 'tags', 'service', 'expression',
                      'priority', 'plugins'];
const kConsumerFields = ['id', 'username', 'custom_id', 'tags', 'plugins', 'groups', 'jwt_secrets',
                         'keyauth_credentials', 'basicauth_credentials', 'hmacauth_credentials',
                         'oauth2_credentials', 'acls', 'mtls_auth_credentials'];
const kPluginFields = ['id', 'name', 'instance_name', 'config', 'enabled', 'protocols', 'tags', 'ordering',
                       'route', 'service', 'consumer', 'consumer_group'];
const kJwtSecretFields = ['id', 'key', 'secret', 'rsa_public_key', 'algorithm', 'tags', 'created_at', 'consumer'];

// The jwt plugin's config record: field -> check(value, path, errors).
const kJwtConfig = {
    uri_param_names: setOfStrings,
    cookie_names: setOfStrings,
    header_names: setOfStrings,
    key_claim_name: stringField,
    secret_is_base64: booleanField,
    run_on_preflight: booleanField,
    anonymous: stringField,
    realm: stringField,
    claims_to_verify: (v, p, errors) => {
        if (setOfStrings(v, p, errors))
            v.forEach((c, i) => { if (c !== 'exp' && c !== 'nbf') errors.push(`${p}[${i}]: ${JSON.stringify(c)} is not one of exp, nbf`); });
    },
    maximum_expiration: (v, p, errors) => {
        if (typeof v !== 'number' || Number.isNaN(v))
            errors.push(`${p}: expected a number, got ${describe(v)}`);
        else if (v < 0 || v > kMaxExpiration)
            errors.push(`${p}: ${v} is not between 0 and ${kMaxExpiration}`);
    },
};

function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v) {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'a list';
    if (typeof v === 'object') return 'a map';
    return `${typeof v} ${JSON.stringify(v)}`;
}

function stringField(v, p, errors) {
    if (typeof v !== 'string')
        errors.push(`${p}: expected a string, got ${describe(v)}`);
}

function booleanField(v, p, errors) {
    if (typeof v !== 'boolean')
        errors.push(`${p}: expected a boolean, got ${describe(v)}`);
}

function setOfStrings(v, p, errors) {
    if (!Array.isArray(v)) {
        errors.push(`${p}: expected a list (set) of strings, got ${describe(v)}`);
        return false;
    }
    let ok = true;
    v.forEach((s, i) => { if (typeof s !== 'string') { ok = false; errors.push(`${p}[${i}]: expected a string, got ${describe(s)}`); } });
    if (ok && new Set(v).size !== v.length)
        errors.push(`${p}: a set must not repeat an element`);
    return ok;
}

function knownKeys(obj, allowed, p, errors) {
    for (const k of Object.keys(obj)) {
        if (!allowed.includes(k))
            errors.push(`${p ? p + '.' : ''}${k}: unknown field`);
    }
}

function listOf(v, p, errors) {
    if (v === undefined)
        return [];
    if (!Array.isArray(v)) {
        errors.push(`${p}: expected a list, got ${describe(v)}`);
        return [];
    }
    return v;
}

function checkPlugin(plugin, p, errors) {
    if (!isPlainObject(plugin)) {
        errors.push(`${p}: expected a map, got ${describe(plugin)}`);
        return;
    }
    knownKeys(plugin, kPluginFields, p, errors);
    stringField(plugin.name, `${p}.name`, errors);
    if (plugin.enabled !== undefined)
        booleanField(plugin.enabled, `${p}.enabled`, errors);
    if (plugin.name !== 'jwt')
        return; // only the jwt plugin's schema is known here
    const config = plugin.config === undefined ? {} : plugin.config;
    if (!isPlainObject(config)) {
        errors.push(`${p}.config: expected a map, got ${describe(config)}`);
        return;
    }
    for (const [k, v] of Object.entries(config)) {
        if (!kJwtConfig[k])
            errors.push(`${p}.config.${k}: unknown field`);
        else
            kJwtConfig[k](v, `${p}.config.${k}`, errors);
    }
    if (typeof config.maximum_expiration === 'number' && config.maximum_expiration > 0 &&
        !(Array.isArray(config.claims_to_verify) && config.claims_to_verify.includes('exp')))
        errors.push(`${p}.config.claims_to_verify: must contain "exp" when maximum_expiration is above 0`);
}

function checkCredential(secret, p, errors, notes) {
    if (!isPlainObject(secret)) {
        errors.push(`${p}: expected a map, got ${describe(secret)}`);
        return;
    }
    knownKeys(secret, kJwtSecretFields, p, errors);
    for (const f of ['key', 'secret', 'rsa_public_key'])
        if (secret[f] !== undefined)
            stringField(secret[f], `${p}.${f}`, errors);
    const alg = secret.algorithm === undefined ? 'HS256' : secret.algorithm; // Kong's default
    if (!kAlgorithms.includes(alg)) {
        errors.push(`${p}.algorithm: ${JSON.stringify(alg)} is not one of ${kAlgorithms.join(', ')}`);
        return;
    }
    if (kSince37.has(alg))
        notes.add(`${alg} credentials need Kong Gateway 3.7 or later`);
    if (alg.startsWith('HS'))
        return;
    if (typeof secret.rsa_public_key !== 'string' || secret.rsa_public_key === '') {
        errors.push(`${p}.rsa_public_key: required for algorithm ${alg}`);
        return;
    }
    let key;
    try {
        key = crypto.createPublicKey(secret.rsa_public_key);
    } catch (e) {
        errors.push(`${p}.rsa_public_key: not a public key (${e.message})`);
        return;
    }
    const type = key.asymmetricKeyType;
    const want = alg.startsWith('RS') || alg.startsWith('PS') ? ['rsa', 'rsa-pss'] : alg === 'EdDSA' ? ['ed25519', 'ed448'] : ['ec'];
    if (!want.includes(type))
        errors.push(`${p}.rsa_public_key: a ${type} key cannot verify ${alg}`);
    else if (type === 'ec' && key.asymmetricKeyDetails.namedCurve !== kEcCurve[alg])
        errors.push(`${p}.rsa_public_key: curve ${key.asymmetricKeyDetails.namedCurve} cannot verify ${alg} (needs ${kEcCurve[alg]})`);
}

function validateConfig(doc, notes) {
    const errors = [];
    if (!isPlainObject(doc))
        return [`<root>: expected a map, got ${describe(doc)}`];
    knownKeys(doc, kTopLevel, '', errors);
    if (typeof doc._format_version !== 'string' || !/^3\.\d+$/.test(doc._format_version))
        errors.push(`_format_version: expected "3.0" (a string), got ${describe(doc._format_version)}`);
    let jwtPlugins = 0;
    listOf(doc.services, 'services', errors).forEach((svc, i) => {
        const p = `services[${i}]`;
        if (!isPlainObject(svc)) {
            errors.push(`${p}: expected a map, got ${describe(svc)}`);
            return;
        }
        knownKeys(svc, kServiceFields, p, errors);
        if (svc.url === undefined && svc.host === undefined)
            errors.push(`${p}: a service needs url or host`);
        if (svc.url !== undefined && (typeof svc.url !== 'string' || !/^(https?|grpcs?|tcp|tls|udp|wss?):\/\/[^/]+/.test(svc.url)))
            errors.push(`${p}.url: not a service URL (${describe(svc.url)})`);
        listOf(svc.routes, `${p}.routes`, errors).forEach((route, j) => {
            const rp = `${p}.routes[${j}]`;
            if (!isPlainObject(route)) {
                errors.push(`${rp}: expected a map, got ${describe(route)}`);
                return;
            }
            knownKeys(route, kRouteFields, rp, errors);
            listOf(route.paths, `${rp}.paths`, errors).forEach((path, k) => {
                if (typeof path !== 'string' || !(path.startsWith('/') || path.startsWith('~')))
                    errors.push(`${rp}.paths[${k}]: a path starts with "/" (or "~" for a regex), got ${describe(path)}`);
            });
            listOf(route.plugins, `${rp}.plugins`, errors).forEach((pl, k) => checkPlugin(pl, `${rp}.plugins[${k}]`, errors));
        });
        listOf(svc.plugins, `${p}.plugins`, errors).forEach((pl, k) => {
            checkPlugin(pl, `${p}.plugins[${k}]`, errors);
            if (pl && pl.name === 'jwt')
                ++jwtPlugins;
        });
    });
    listOf(doc.plugins, 'plugins', errors).forEach((pl, k) => {
        checkPlugin(pl, `plugins[${k}]`, errors);
        if (pl && pl.name === 'jwt')
            ++jwtPlugins;
    });
    if (jwtPlugins === 0)
        errors.push('<root>: no jwt plugin is configured');
    const keys = new Map();
    const usernames = new Map();
    listOf(doc.consumers, 'consumers', errors).forEach((c, i) => {
        const p = `consumers[${i}]`;
        if (!isPlainObject(c)) {
            errors.push(`${p}: expected a map, got ${describe(c)}`);
            return;
        }
        knownKeys(c, kConsumerFields, p, errors);
        if (c.username === undefined && c.custom_id === undefined)
            errors.push(`${p}: a consumer needs username or custom_id`);
        if (c.username !== undefined) {
            stringField(c.username, `${p}.username`, errors);
            if (usernames.has(c.username))
                errors.push(`${p}.username: ${JSON.stringify(c.username)} is already ${usernames.get(c.username)}'s`);
            usernames.set(c.username, p);
        }
        listOf(c.jwt_secrets, `${p}.jwt_secrets`, errors).forEach((s, j) => {
            const sp = `${p}.jwt_secrets[${j}]`;
            checkCredential(s, sp, errors, notes);
            if (s && typeof s.key === 'string') {
                if (keys.has(s.key))
                    errors.push(`${sp}.key: ${JSON.stringify(s.key)} is also ${keys.get(s.key)}.key (credential keys are unique)`);
                keys.set(s.key, sp);
            }
        });
    });
    return errors;
}

function makeValidator() {
    const notes = new Set();
    return {
        validate(docs) {
            if (docs.length !== 1)
                return [`<root>: expected one YAML document (a declarative configuration), got ${docs.length}`];
            const errors = validateConfig(docs[0], notes);
            for (const n of notes)
                console.log(`NOTE ${n}`);
            notes.clear();
            return errors;
        },
        negativeCases: [
            { name: 'an unknown jwt plugin config field',
              mutate: (d) => { d[0].services[0].plugins[0].config.key_claim = 'iss'; },
              expect: 'services[0].plugins[0].config.key_claim: unknown field' },
            { name: 'a claim other than exp/nbf in claims_to_verify',
              mutate: (d) => { d[0].services[0].plugins[0].config.claims_to_verify.push('iat'); },
              expect: 'services[0].plugins[0].config.claims_to_verify[2]: "iat" is not one of exp, nbf' },
            { name: 'maximum_expiration above 31536000',
              mutate: (d) => { d[0].services[0].plugins[0].config.maximum_expiration = 31536001; },
              expect: 'services[0].plugins[0].config.maximum_expiration: 31536001 is not between 0 and 31536000' },
            { name: 'maximum_expiration as a string',
              mutate: (d) => { d[0].services[0].plugins[0].config.maximum_expiration = '3600'; },
              expect: 'services[0].plugins[0].config.maximum_expiration: expected a number' },
            { name: 'maximum_expiration without exp in claims_to_verify',
              mutate: (d) => { d[0].services[0].plugins[0].config.claims_to_verify = ['nbf']; },
              expect: 'services[0].plugins[0].config.claims_to_verify: must contain "exp" when maximum_expiration is above 0' },
            { name: 'secret_is_base64 as a string',
              mutate: (d) => { d[0].services[0].plugins[0].config.secret_is_base64 = 'false'; },
              expect: 'services[0].plugins[0].config.secret_is_base64: expected a boolean' },
            { name: 'run_on_preflight as a number',
              mutate: (d) => { d[0].services[0].plugins[0].config.run_on_preflight = 1; },
              expect: 'services[0].plugins[0].config.run_on_preflight: expected a boolean' },
            { name: 'key_claim_name as a list',
              mutate: (d) => { d[0].services[0].plugins[0].config.key_claim_name = ['iss']; },
              expect: 'services[0].plugins[0].config.key_claim_name: expected a string' },
            { name: 'header_names as a string',
              mutate: (d) => { d[0].services[0].plugins[0].config.header_names = 'authorization'; },
              expect: 'services[0].plugins[0].config.header_names: expected a list (set) of strings' },
            { name: 'uri_param_names with a repeated element',
              mutate: (d) => { d[0].services[0].plugins[0].config.uri_param_names = ['jwt', 'jwt']; },
              expect: 'services[0].plugins[0].config.uri_param_names: a set must not repeat an element' },
            { name: 'cookie_names holding a number',
              mutate: (d) => { d[0].services[0].plugins[0].config.cookie_names = [3]; },
              expect: 'services[0].plugins[0].config.cookie_names[0]: expected a string' },
            { name: 'an algorithm outside the credential enum',
              mutate: (d) => { d[0].consumers[0].jwt_secrets[0].algorithm = 'RS257'; },
              expect: 'consumers[0].jwt_secrets[0].algorithm: "RS257" is not one of' },
            { name: 'an RS256 credential without rsa_public_key',
              mutate: (d) => { delete d[0].consumers[0].jwt_secrets[0].rsa_public_key; },
              expect: 'consumers[0].jwt_secrets[0].rsa_public_key: required for algorithm RS256' },
            { name: 'an rsa_public_key that is not a key',
              mutate: (d) => { d[0].consumers[0].jwt_secrets[0].rsa_public_key = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'; },
              expect: 'consumers[0].jwt_secrets[0].rsa_public_key: not a public key' },
            { name: 'an EC key under an RSA algorithm',
              mutate: (d) => { d[0].consumers[0].jwt_secrets[0].rsa_public_key = d[0].consumers[1].jwt_secrets[0].rsa_public_key; },
              expect: 'consumers[0].jwt_secrets[0].rsa_public_key: a ec key cannot verify RS256' },
            { name: 'a P-256 key under ES384',
              mutate: (d) => { d[0].consumers[1].jwt_secrets[0].algorithm = 'ES384'; },
              expect: 'consumers[1].jwt_secrets[0].rsa_public_key: curve prime256v1 cannot verify ES384' },
            { name: 'an unknown credential field',
              mutate: (d) => { d[0].consumers[0].jwt_secrets[0].public_key = 'x'; },
              expect: 'consumers[0].jwt_secrets[0].public_key: unknown field' },
            { name: 'two credentials with one key',
              mutate: (d) => { d[0].consumers[1].jwt_secrets[0].key = d[0].consumers[0].jwt_secrets[0].key; },
              expect: 'consumers[1].jwt_secrets[0].key: "https://login.example.com/" is also consumers[0].jwt_secrets[0].key' },
            { name: 'a consumer without username or custom_id',
              mutate: (d) => { delete d[0].consumers[0].username; },
              expect: 'consumers[0]: a consumer needs username or custom_id' },
            { name: 'a route path without its leading slash',
              mutate: (d) => { d[0].services[0].routes[0].paths = ['api']; },
              expect: 'services[0].routes[0].paths[0]: a path starts with "/"' },
            { name: 'an unknown top-level key',
              mutate: (d) => { d[0].consumer = []; },
              expect: 'consumer: unknown field' },
            { name: '_format_version as a number',
              mutate: (d) => { d[0]._format_version = 3; },
              expect: '_format_version: expected "3.0" (a string)' },
        ],
    };
}

if (require.main === module)
    harness.run('kong', makeValidator);

module.exports = { makeValidator };
