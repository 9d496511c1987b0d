// Helpers of the end-to-end tests: the packaged server on a free port with a fresh data
// directory, Debian's Chromium through playwright-core, and polling assertions with deadlines.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const JAR = process.env.TASKMESH_JAR ?? join(ROOT, 'server', 'target', 'taskmesh-server.jar');
export const CHROMIUM = process.env.TASKMESH_CHROMIUM ?? '/usr/bin/chromium';
const STARTUP_DEADLINE_MS = Number(process.env.TASKMESH_E2E_STARTUP_MS ?? 180_000);

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls `check` (which throws or rejects while not yet true) until it passes or the deadline is over. */
export async function eventually(check, { timeout = 15_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Starts the embedded mode as `./taskmesh run` does (bean definitions from Spring AOT) and resolves once it is ready. */
export async function startServer() {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing; build it first (./taskmesh build)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'taskmesh-e2e-'));
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const output = [];
  const child = spawn(java, ['-Dspring.aot.enabled=true', '-jar', JAR], {
    env: { ...process.env, TASKMESH_PORT: String(port), TASKMESH_DATA_DIR: dataDir, TASKMESH_REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 400) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  for (;;) {
    if (exited) throw new Error(`the server exited (${JSON.stringify(exited)}) before it was ready:\n${output.join('')}`);
    try {
      const response = await fetch(`${url}/actuator/health/readiness`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within ${STARTUP_DEADLINE_MS} ms:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    output,
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
