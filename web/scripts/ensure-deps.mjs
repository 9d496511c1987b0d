// Runs `npm ci` with the installed npm unless node_modules already matches package-lock.json
// (a stamp file records the lock file's hash after a successful install).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('../', import.meta.url).pathname;
const lock = readFileSync(`${root}package-lock.json`);
const hash = createHash('sha256').update(lock).update(process.version).digest('hex');
const stamp = `${root}node_modules/.taskmesh-lock-hash`;
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
  console.log('node_modules is up to date with package-lock.json; skipping npm ci');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, hash);
