// SPDX-License-Identifier: Apache-2.0
// Runs a generated Node verification module (service:jose, service:jsonwebtoken) over tokens read
// from standard input, one per line, and prints one verdict per line: "accept", "reject REASON"
// (TokenRejected) or "error REASON" (anything else thrown: a defect of the generated code).
// Usage: node node-driver.mjs GENERATED_MODULE < tokens
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const { verifyToken, TokenRejected } = await import(pathToFileURL(process.argv[2]).href);
const lines = [];
for await (const line of createInterface({ input: process.stdin })) lines.push(line);
for (const line of lines) {
  try {
    await verifyToken(line);
    console.log('accept');
  } catch (e) {
    const text = String(e instanceof TokenRejected ? e.reason : e.message).replace(/\s+/g, ' ');
    console.log(`${e instanceof TokenRejected ? 'reject' : 'error'} ${text}`);
  }
}
