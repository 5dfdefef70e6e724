// SPDX-License-Identifier: Apache-2.0
// Checks a parsed YAML/JSON object against a protobufjs-reflected message type the way Envoy reads
// its YAML (protobuf JSON mapping, unknown fields refused), because protobufjs's own fromObject
// drops unknown fields and coerces types without a word.
//
// Checked:
// - every key is a field of its message, by proto name or JSON (lowerCamelCase) name, and not both;
// - values have the field's shape: message (object), repeated (array), map (object, keys of the
//   key type), enum (a value name or number), scalars (bool, strings, bytes as base64, 32/64-bit
//   integers as numbers or decimal strings within range, floating point);
// - well-known types in their JSON forms: Duration ("5s", "0.5s"), Timestamp (RFC 3339), Struct,
//   Value, ListValue, FieldMask, Empty, the wrappers (the bare scalar), and Any (its @type resolved
//   among the loaded protos and the rest checked against that type);
// - oneofs: at most one member set, exactly one when the oneof has (validate.required);
// - fields marked deprecated or disallowed by default are refused: an export must not depend on
//   what Envoy is removing;
// - protoc-gen-validate rules read from the field options: message.required; string len, min_len,
//   max_len, const, prefix, suffix, contains, in, not_in, pattern (as a JavaScript regex) and the
//   well-known regexes HTTP_HEADER_NAME / HTTP_HEADER_VALUE; numeric const, lt, lte, gt, gte (and
//   the inverted "outside the range" form), in, not_in; bool const; enum const, defined_only, in,
//   not_in; repeated min_items, max_items, unique and item rules; map min_pairs, max_pairs and key /
//   value rules; duration required, lt, lte, gt, gte; any required, in. As in PGV, rules on scalars
//   apply to the default value when the field is absent (proto3 has no presence), except in a oneof
//   and where ignore_empty says so.
// Not checked: bytes rules, timestamp ranges, string well-known formats other than the HTTP header
// ones (email, hostname, ip, uri, uuid...), PGV message.skip, cross-field rules no option states.
'use strict';

const kDurationRe = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const kTimestampRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const kMaxDurationSeconds = 315576000000n;
const kIntRanges = {
    int32: [-(2n ** 31n), 2n ** 31n - 1n], sint32: [-(2n ** 31n), 2n ** 31n - 1n], sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
    uint32: [0n, 2n ** 32n - 1n], fixed32: [0n, 2n ** 32n - 1n],
    int64: [-(2n ** 63n), 2n ** 63n - 1n], sint64: [-(2n ** 63n), 2n ** 63n - 1n], sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
    uint64: [0n, 2n ** 64n - 1n], fixed64: [0n, 2n ** 64n - 1n],
};
const kWrappers = {
    '.google.protobuf.DoubleValue': 'double', '.google.protobuf.FloatValue': 'float',
    '.google.protobuf.Int64Value': 'int64', '.google.protobuf.UInt64Value': 'uint64',
    '.google.protobuf.Int32Value': 'int32', '.google.protobuf.UInt32Value': 'uint32',
    '.google.protobuf.BoolValue': 'bool', '.google.protobuf.StringValue': 'string',
    '.google.protobuf.BytesValue': 'bytes',
};
// Header name / value rules of PGV's well_known_regex (strict by default; strict: false only keeps
// out NUL, CR and LF).
const kHeaderRegex = {
    HTTP_HEADER_NAME: { strict: /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/, loose: /^[^\0\n\r]*$/ },
    HTTP_HEADER_VALUE: { strict: /^[^\0-\x08\x0A-\x1F\x7F]*$/, loose: /^[^\0\n\r]*$/ },
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

function keyPath(base, key) {
    const k = /^[A-Za-z_@][A-Za-z0-9_@.\-]*$/.test(key) ? key : JSON.stringify(key);
    return base ? `${base}.${k}` : k;
}

// The (validate.rules) option of a field, merged from protobufjs's parsedOptions entries.
function rulesOf(field) {
    const merged = {};
    for (const o of field.parsedOptions || []) {
        if (o && o['(validate.rules)'])
            deepMerge(merged, o['(validate.rules)']);
    }
    return merged;
}

function deepMerge(dst, src) {
    for (const [k, v] of Object.entries(src)) {
        if (isPlainObject(v) && isPlainObject(dst[k]))
            deepMerge(dst[k], v);
        else
            dst[k] = v;
    }
    return dst;
}

function durationNanos(d) {
    // PGV duration bounds are {seconds, nanos} messages.
    return BigInt(d.seconds || 0) * 1000000000n + BigInt(d.nanos || 0);
}

function parseDurationNanos(text) {
    const m = kDurationRe.exec(text);
    if (!m)
        return null;
    const nanos = BigInt(m[2]) * 1000000000n + BigInt((m[3] || '').padEnd(9, '0') || '0');
    return m[1] ? -nanos : nanos;
}

class ProtoWalker {
    constructor(root) {
        this.root = root;
    }

    // errors: array of "path: what is wrong" strings. Returns errors.
    checkMessage(type, value, path, errors = []) {
        this.message(type, value, path, errors);
        return errors;
    }

    lookupTypeUrl(url) {
        const name = url.slice(url.lastIndexOf('/') + 1);
        const t = name ? this.root.lookup(name) : null;
        return t && t.fieldsArray ? t : null;
    }

    message(type, value, path, errors) {
        const full = type.fullName;
        if (kWrappers[full])
            return this.scalar(kWrappers[full], value, path, errors);
        switch (full) {
        case '.google.protobuf.Duration':
            if (typeof value !== 'string' || parseDurationNanos(value) === null)
                errors.push(`${path}: expected a google.protobuf.Duration string such as "5s", got ${describe(value)}`);
            else if ((parseDurationNanos(value) < 0n ? -parseDurationNanos(value) : parseDurationNanos(value)) > kMaxDurationSeconds * 1000000000n)
                errors.push(`${path}: duration ${value} is out of range`);
            return;
        case '.google.protobuf.Timestamp':
            if (typeof value !== 'string' || !kTimestampRe.test(value))
                errors.push(`${path}: expected an RFC 3339 timestamp string, got ${describe(value)}`);
            return;
        case '.google.protobuf.FieldMask':
            if (typeof value !== 'string')
                errors.push(`${path}: expected a field mask string, got ${describe(value)}`);
            return;
        case '.google.protobuf.Struct':
            if (!isPlainObject(value))
                errors.push(`${path}: expected a map (google.protobuf.Struct), got ${describe(value)}`);
            return;
        case '.google.protobuf.ListValue':
            if (!Array.isArray(value))
                errors.push(`${path}: expected a list (google.protobuf.ListValue), got ${describe(value)}`);
            return;
        case '.google.protobuf.Value':
            return; // any JSON value
        case '.google.protobuf.Any':
            return this.any(value, path, errors);
        default:
            break;
        }
        if (!isPlainObject(value)) {
            errors.push(`${path}: expected a map (message ${full.slice(1)}), got ${describe(value)}`);
            return;
        }
        this.fields(type, value, path, errors, new Set());
    }

    any(value, path, errors) {
        if (!isPlainObject(value)) {
            errors.push(`${path}: expected a map with "@type" (google.protobuf.Any), got ${describe(value)}`);
            return;
        }
        const url = value['@type'];
        if (typeof url !== 'string' || !url.includes('/')) {
            errors.push(`${keyPath(path, '@type')}: missing or not a type URL (type.googleapis.com/NAME)`);
            return;
        }
        const inner = this.lookupTypeUrl(url);
        if (!inner) {
            errors.push(`${keyPath(path, '@type')}: ${url} names no message of the loaded protos`);
            return;
        }
        const special = kWrappers[inner.fullName] || inner.fullName.startsWith('.google.protobuf.') &&
            ['Duration', 'Timestamp', 'FieldMask', 'Struct', 'Value', 'ListValue', 'Any'].includes(inner.name);
        if (special) {
            // Well-known types with a special JSON form carry it in "value".
            for (const k of Object.keys(value)) {
                if (k !== '@type' && k !== 'value')
                    errors.push(`${keyPath(path, k)}: unknown field`);
            }
            this.message(inner, value.value, keyPath(path, 'value'), errors);
            return;
        }
        this.fields(inner, value, path, errors, new Set(['@type']));
    }

    fieldByKey(type, key) {
        if (!type._jwbByKey) {
            const m = new Map();
            for (const f of type.fieldsArray) {
                m.set(f.name, f);
                const json = (f.options && f.options.json_name) || f.jsonName;
                if (json)
                    m.set(json, f);
            }
            type._jwbByKey = m;
        }
        return type._jwbByKey.get(key);
    }

    fields(type, obj, path, errors, reserved) {
        const seen = new Map(); // field -> key used
        for (const [key, v] of Object.entries(obj)) {
            if (reserved.has(key))
                continue;
            const p = keyPath(path, key);
            const f = this.fieldByKey(type, key);
            if (!f) {
                errors.push(`${p}: unknown field`);
                continue;
            }
            if (seen.has(f)) {
                errors.push(`${p}: field ${f.name} set twice (also as ${seen.get(f)})`);
                continue;
            }
            seen.set(f, key);
            if (f.options && f.options.deprecated)
                errors.push(`${p}: deprecated field`);
            if (f.options && f.options['(envoy.annotations.disallowed_by_default)'])
                errors.push(`${p}: field disallowed by default`);
            if (v === null) {
                // The JSON mapping reads null as "unset"; an export that writes it means something else.
                if (!(f.resolvedType && f.resolvedType.fullName === '.google.protobuf.Value'))
                    errors.push(`${p}: null value (omit the field instead)`);
                continue;
            }
            this.fieldValue(f, v, p, errors);
        }
        for (const o of type.oneofsArray) {
            const set = o.fieldsArray.filter((f) => seen.has(f) && obj[seen.get(f)] !== null);
            if (set.length > 1)
                errors.push(`${path || '<root>'}: oneof ${o.name} has more than one member set (${set.map((f) => seen.get(f)).join(', ')})`);
            else if (set.length === 0 && o.options && o.options['(validate.required)'])
                errors.push(`${path || '<root>'}: oneof ${o.name} requires one of ${o.fieldsArray.map((f) => f.name).join(', ')}`);
        }
        // PGV rules: on present fields, and on absent scalars outside oneofs (their default value).
        for (const f of type.fieldsArray) {
            const rules = rulesOf(f);
            if (!Object.keys(rules).length)
                continue;
            const present = seen.has(f) && obj[seen.get(f)] !== null;
            const p = keyPath(path, present ? seen.get(f) : f.name);
            if (present)
                this.fieldRules(f, rules, obj[seen.get(f)], p, errors);
            else if (!f.partOf)
                this.absentRules(f, rules, p, errors);
        }
    }

    fieldValue(f, v, p, errors) {
        if (f.map) {
            if (!isPlainObject(v)) {
                errors.push(`${p}: expected a map, got ${describe(v)}`);
                return;
            }
            for (const [k, item] of Object.entries(v)) {
                if (f.keyType !== 'string' && f.keyType !== 'bool' && !/^-?\d+$/.test(k))
                    errors.push(`${keyPath(p, k)}: map key is not a ${f.keyType}`);
                this.single(f, item, keyPath(p, k), errors);
            }
            return;
        }
        if (f.repeated) {
            if (!Array.isArray(v)) {
                errors.push(`${p}: expected a list, got ${describe(v)}`);
                return;
            }
            v.forEach((item, i) => this.single(f, item, `${p}[${i}]`, errors));
            return;
        }
        this.single(f, v, p, errors);
    }

    single(f, v, p, errors) {
        const t = f.resolvedType;
        if (t && t.values && !t.fieldsArray) {
            if (t.fullName === '.google.protobuf.NullValue') {
                if (v !== null)
                    errors.push(`${p}: expected null`);
                return;
            }
            if (typeof v === 'string') {
                if (!(v in t.values))
                    errors.push(`${p}: ${JSON.stringify(v)} is not a value of enum ${t.fullName.slice(1)} (${Object.keys(t.values).join(', ')})`);
            } else if (!Number.isInteger(v)) {
                errors.push(`${p}: expected an enum ${t.fullName.slice(1)} name, got ${describe(v)}`);
            }
            return;
        }
        if (t)
            return this.message(t, v, p, errors);
        this.scalar(f.type, v, p, errors);
    }

    scalar(kind, v, p, errors) {
        if (kind === 'bool') {
            if (typeof v !== 'boolean')
                errors.push(`${p}: expected a bool, got ${describe(v)}`);
        } else if (kind === 'string') {
            if (typeof v !== 'string')
                errors.push(`${p}: expected a string, got ${describe(v)}`);
        } else if (kind === 'bytes') {
            if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v))
                errors.push(`${p}: expected base64 bytes, got ${describe(v)}`);
        } else if (kind === 'double' || kind === 'float') {
            const ok = typeof v === 'number' || (typeof v === 'string' && (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v) || ['NaN', 'Infinity', '-Infinity'].includes(v)));
            if (!ok)
                errors.push(`${p}: expected a number, got ${describe(v)}`);
        } else if (kIntRanges[kind]) {
            let n = null;
            if (typeof v === 'number' && Number.isInteger(v))
                n = BigInt(v);
            else if (typeof v === 'string' && /^-?\d+$/.test(v))
                n = BigInt(v);
            if (n === null)
                errors.push(`${p}: expected an integer (${kind}), got ${describe(v)}`);
            else if (n < kIntRanges[kind][0] || n > kIntRanges[kind][1])
                errors.push(`${p}: ${v} is out of the ${kind} range`);
        } else {
            errors.push(`${p}: no check for proto type ${kind}`);
        }
    }

    // Rules that apply to an absent field: message/duration/any "required", repeated/map minimums
    // and, for scalars, the rules run on the default value.
    absentRules(f, rules, p, errors) {
        const required = (rules.message && rules.message.required) || (rules.duration && rules.duration.required) ||
            (rules.any && rules.any.required) || (rules.timestamp && rules.timestamp.required);
        if (required) {
            errors.push(`${p}: required field missing`);
            return;
        }
        if (f.repeated || f.map) {
            const min = f.map ? rules.map && rules.map.min_pairs : rules.repeated && rules.repeated.min_items;
            if (min && !(f.repeated ? rules.repeated.ignore_empty : rules.map.ignore_empty))
                errors.push(`${p}: required field missing (at least ${min} ${f.map ? 'entries' : 'items'})`);
            return;
        }
        if (f.resolvedType && f.resolvedType.fieldsArray)
            return; // an absent message has only "required"
        const def = f.resolvedType ? 0 : (f.type === 'string' ? '' : f.type === 'bool' ? false : f.type === 'bytes' ? '' : 0);
        const before = errors.length;
        this.scalarRules(f, rules, def, p, errors);
        if (errors.length > before)
            errors.splice(before, errors.length - before, `${p}: required field missing (${errors.slice(before).map((e) => e.slice(p.length + 2)).join('; ')})`);
    }

    fieldRules(f, rules, v, p, errors) {
        if (f.map) {
            const r = rules.map || {};
            const n = isPlainObject(v) ? Object.keys(v).length : 0;
            if (r.min_pairs && n < r.min_pairs)
                errors.push(`${p}: at least ${r.min_pairs} entries required, ${n} given`);
            if (r.max_pairs && n > r.max_pairs)
                errors.push(`${p}: at most ${r.max_pairs} entries allowed, ${n} given`);
            if (isPlainObject(v)) {
                for (const [k, item] of Object.entries(v)) {
                    if (r.keys)
                        this.ruleSet({ type: f.keyType }, r.keys, k, keyPath(p, k), errors);
                    if (r.values)
                        this.ruleSet(f, r.values, item, keyPath(p, k), errors);
                }
            }
            return;
        }
        if (f.repeated) {
            const r = rules.repeated || {};
            if (!Array.isArray(v))
                return;
            if (r.ignore_empty && v.length === 0)
                return;
            if (r.min_items && v.length < r.min_items)
                errors.push(`${p}: at least ${r.min_items} items required, ${v.length} given`);
            if (r.max_items && v.length > r.max_items)
                errors.push(`${p}: at most ${r.max_items} items allowed, ${v.length} given`);
            if (r.unique && new Set(v.map((x) => JSON.stringify(x))).size !== v.length)
                errors.push(`${p}: items must be unique`);
            if (r.items)
                v.forEach((item, i) => this.ruleSet(f, r.items, item, `${p}[${i}]`, errors));
            return;
        }
        this.ruleSet(f, rules, v, p, errors);
    }

    // One value against the rules of its kind (used for fields, list items and map values).
    ruleSet(f, rules, v, p, errors) {
        const t = f.resolvedType;
        if (t && t.fieldsArray) {
            if (t.fullName === '.google.protobuf.Duration' && rules.duration && typeof v === 'string') {
                const n = parseDurationNanos(v);
                if (n !== null)
                    this.bounds(rules.duration, n, v, p, errors, durationNanos);
            } else if (t.fullName === '.google.protobuf.Any' && rules.any && rules.any.in && isPlainObject(v)) {
                if (!rules.any.in.includes(v['@type']))
                    errors.push(`${p}: @type must be one of ${rules.any.in.join(', ')}`);
            } else if (kWrappers[t.fullName]) {
                this.scalarRules({ type: kWrappers[t.fullName] }, rules, v, p, errors);
            }
            return;
        }
        this.scalarRules(f, rules, v, p, errors);
    }

    scalarRules(f, rules, v, p, errors) {
        const t = f.resolvedType;
        if (t && t.values && !t.fieldsArray) {
            const r = rules.enum;
            if (!r)
                return;
            const num = typeof v === 'string' ? t.values[v] : v;
            if (r.defined_only && !Object.values(t.values).includes(num))
                errors.push(`${p}: ${v} is not a defined value of ${t.fullName.slice(1)}`);
            if (r.const !== undefined && num !== r.const)
                errors.push(`${p}: must be ${r.const}`);
            if (r.in && !r.in.includes(num))
                errors.push(`${p}: must be one of ${r.in.join(', ')}`);
            if (r.not_in && r.not_in.includes(num))
                errors.push(`${p}: must not be one of ${r.not_in.join(', ')}`);
            return;
        }
        if (f.type === 'string' && rules.string && typeof v === 'string') {
            const r = rules.string;
            if (r.ignore_empty && v === '')
                return;
            const len = [...v].length;
            if (r.len !== undefined && len !== Number(r.len))
                errors.push(`${p}: length must be ${r.len}`);
            if (r.min_len !== undefined && len < Number(r.min_len))
                errors.push(`${p}: at least ${r.min_len} characters required (min_len), ${len} given`);
            if (r.max_len !== undefined && len > Number(r.max_len))
                errors.push(`${p}: at most ${r.max_len} characters allowed (max_len), ${len} given`);
            if (r.min_bytes !== undefined && Buffer.byteLength(v) < Number(r.min_bytes))
                errors.push(`${p}: at least ${r.min_bytes} bytes required`);
            if (r.max_bytes !== undefined && Buffer.byteLength(v) > Number(r.max_bytes))
                errors.push(`${p}: at most ${r.max_bytes} bytes allowed`);
            if (r.const !== undefined && v !== r.const)
                errors.push(`${p}: must be ${JSON.stringify(r.const)}`);
            if (r.prefix !== undefined && !v.startsWith(r.prefix))
                errors.push(`${p}: must start with ${JSON.stringify(r.prefix)}`);
            if (r.suffix !== undefined && !v.endsWith(r.suffix))
                errors.push(`${p}: must end with ${JSON.stringify(r.suffix)}`);
            if (r.contains !== undefined && !v.includes(r.contains))
                errors.push(`${p}: must contain ${JSON.stringify(r.contains)}`);
            if (r.in && !r.in.includes(v))
                errors.push(`${p}: must be one of ${r.in.join(', ')}`);
            if (r.not_in && r.not_in.includes(v))
                errors.push(`${p}: must not be one of ${r.not_in.join(', ')}`);
            if (r.pattern !== undefined) {
                let re = null;
                try {
                    re = new RegExp(r.pattern, 'u');
                } catch (e) {
                    re = null; // RE2 syntax JavaScript does not read: not checked
                }
                if (re && !re.test(v))
                    errors.push(`${p}: does not match ${r.pattern}`);
            }
            if (r.well_known_regex && kHeaderRegex[r.well_known_regex]) {
                const re = kHeaderRegex[r.well_known_regex][r.strict === false ? 'loose' : 'strict'];
                if (!re.test(v))
                    errors.push(`${p}: not a valid ${r.well_known_regex}`);
            }
            return;
        }
        if (f.type === 'bool' && rules.bool && rules.bool.const !== undefined && v !== rules.bool.const) {
            errors.push(`${p}: must be ${rules.bool.const}`);
            return;
        }
        const numeric = rules[f.type];
        if (numeric && (typeof v === 'number' || typeof v === 'string')) {
            const toBig = (x) => {
                try {
                    return BigInt(x);
                } catch (e) {
                    return null;
                }
            };
            const isInt = !!kIntRanges[f.type];
            const n = isInt ? toBig(v) : Number(v);
            if (n === null)
                return;
            const conv = isInt ? (x) => BigInt(x) : (x) => Number(x);
            this.bounds(numeric, n, v, p, errors, conv);
            if (numeric.const !== undefined && n !== conv(numeric.const))
                errors.push(`${p}: must be ${numeric.const}`);
            if (numeric.in && !numeric.in.map(conv).includes(n))
                errors.push(`${p}: must be one of ${numeric.in.join(', ')}`);
            if (numeric.not_in && numeric.not_in.map(conv).includes(n))
                errors.push(`${p}: must not be one of ${numeric.not_in.join(', ')}`);
        }
    }

    // lt/lte/gt/gte; when the lower bound is above the upper one, PGV means "outside the range".
    bounds(r, n, shown, p, errors, conv) {
        const has = (k) => r[k] !== undefined && r[k] !== null;
        const lo = has('gt') ? { v: conv(r.gt), strict: true } : has('gte') ? { v: conv(r.gte), strict: false } : null;
        const hi = has('lt') ? { v: conv(r.lt), strict: true } : has('lte') ? { v: conv(r.lte), strict: false } : null;
        const aboveLo = lo ? (lo.strict ? n > lo.v : n >= lo.v) : true;
        const belowHi = hi ? (hi.strict ? n < hi.v : n <= hi.v) : true;
        const text = `${lo ? (lo.strict ? '> ' : '>= ') + fmt(r.gt ?? r.gte) : ''}${lo && hi ? ' and ' : ''}${hi ? (hi.strict ? '< ' : '<= ') + fmt(r.lt ?? r.lte) : ''}`;
        if (lo && hi && lo.v > hi.v) {
            if (aboveLo || belowHi)
                return;
            errors.push(`${p}: ${shown} must be outside the range (${text.replace(' and ', ' or ')})`);
            return;
        }
        if (!aboveLo || !belowHi)
            errors.push(`${p}: ${shown} must be ${text}`);
    }
}

function fmt(b) {
    if (isPlainObject(b))
        return `${Number(b.seconds || 0) + Number(b.nanos || 0) / 1e9}s`;
    return String(b);
}

module.exports = { ProtoWalker };
