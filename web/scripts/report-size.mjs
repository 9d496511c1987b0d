// Prints the gzip size of the JavaScript the entry page loads before anything else (the entry
// script and its modulepreload links) and fails the build when it exceeds the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const LIMIT_KB = 250;
const outDir = new URL('../target/classes/static/', import.meta.url).pathname;
const html = readFileSync(join(outDir, 'index.html'), 'utf8');
const files = new Set();
for (const match of html.matchAll(/<script[^>]*\ssrc="\/([^"]+\.js)"/g)) files.add(match[1]);
for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g)) files.add(match[1]);
if (files.size === 0) {
  console.error('report-size: no script found in index.html');
  process.exit(1);
}
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} KB gzip`);
}
const kb = total / 1024;
console.log(`Initial JavaScript: ${kb.toFixed(1)} KB gzip (budget ${LIMIT_KB} KB)`);
if (kb > LIMIT_KB) {
  console.error(`Initial JavaScript exceeds the ${LIMIT_KB} KB gzip budget`);
  process.exit(1);
}
