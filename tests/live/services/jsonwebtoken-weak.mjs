// SPDX-License-Identifier: Apache-2.0
// A service that verifies bearer tokens with auth0's jsonwebtoken 9 the way a hurried service
// does: the algorithm is pinned and the clock tolerance set, but neither `issuer` nor `audience`
// is passed to jwt.verify(), so a token of any issuer for any audience passes. The estate's live
// test (tst_estate_live) must find exactly that weakness, plus what jsonwebtoken cannot be told
// to check at all.
//   node jsonwebtoken-weak.mjs PORT PUBLIC_KEY_PEM NODE_MODULES_DIR
// Answers 200 when the token verifies and 401 otherwise, on 127.0.0.1 only. Tokens are never
// printed: only a request's outcome is.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [port, keyFile, nodeModules] = process.argv.slice(2);
if (!port || !keyFile || !nodeModules) {
  console.error('usage: jsonwebtoken-weak.mjs PORT PUBLIC_KEY_PEM NODE_MODULES_DIR');
  process.exit(2);
}
// tests/node/node_modules is not above this file, so resolve the package from there explicitly.
const jwt = createRequire(join(nodeModules, 'resolve-from-here.js'))('jsonwebtoken');
const publicKey = readFileSync(keyFile, 'utf8');
// Everything jsonwebtoken offers except issuer and audience: the weakness under test.
const options = { algorithms: ['ES256'], clockTolerance: 30, maxAge: 3600 };
let count = 0;

const server = createServer((req, res) => {
  count += 1;
  const header = req.headers.authorization || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  let status = 401;
  let why = 'no bearer token';
  if (token) {
    try {
      jwt.verify(token, publicKey, options);
      status = 200;
      why = 'verified';
    } catch (e) {
      why = e.name + ': ' + e.message;
    }
  }
  console.log(`request ${count} ${req.method} ${req.url} -> ${status} (${why})`);
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(status === 200 ? 'ok\n' : 'unauthorized\n');
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`jsonwebtoken service on 127.0.0.1:${port} with ${JSON.stringify(options)}`);
});
process.on('SIGTERM', () => process.exit(0));
