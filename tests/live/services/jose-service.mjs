// SPDX-License-Identifier: Apache-2.0
// A service that verifies bearer tokens with panva/jose's jwtVerify, for the probe's live tests.
//   node jose-service.mjs PORT JWKS_FILE OPTIONS_FILE NODE_MODULES_DIR
// OPTIONS_FILE is JSON with the jwtVerify options to use (issuer, audience, algorithms,
// clockTolerance, requiredClaims, typ, maxTokenAge); leaving one out weakens the service on purpose.
// Answers 200 when the token verifies and 401 otherwise, on 127.0.0.1 only. GET /__requests
// answers the number of tokens seen and when (milliseconds since start), so tests can check the
// probe's bounds on the server side. Tokens are never printed: only a request's outcome is.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [port, jwksFile, optionsFile, nodeModules] = process.argv.slice(2);
if (!port || !jwksFile || !optionsFile || !nodeModules) {
  console.error('usage: jose-service.mjs PORT JWKS_FILE OPTIONS_FILE NODE_MODULES_DIR');
  process.exit(2);
}
// tests/node/node_modules is not above this file, so resolve jose from there explicitly.
const jose = createRequire(join(nodeModules, 'resolve-from-here.js'))('jose');
const keys = jose.createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const options = JSON.parse(readFileSync(optionsFile, 'utf8'));
const started = Date.now();
const seen = [];

const server = createServer(async (req, res) => {
  if (req.url === '/__requests') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ count: seen.length, times: seen }));
    return;
  }
  seen.push(Date.now() - started);
  const header = req.headers.authorization || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  let status = 401;
  let why = 'no bearer token';
  if (token) {
    try {
      await jose.jwtVerify(token, keys, options);
      status = 200;
      why = 'verified';
    } catch (e) {
      why = e.code || e.name;
    }
  }
  console.log(`request ${seen.length} ${req.method} ${req.url} -> ${status} (${why})`);
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(status === 200 ? 'ok\n' : 'unauthorized\n');
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`jose ${jose.cryptoRuntime} service on 127.0.0.1:${port} with ${JSON.stringify(options)}`);
});
process.on('SIGTERM', () => process.exit(0));
