// Starts a ferrotube binary (default: the release build at /tmp/ferrotube-baseline) as the
// WebTorrent tracker of the tests, on a free 127.0.0.1 port, and stops it afterwards.
// FERROTUBE_PLAYER_TRACKER=ws://host:port/tracker/socket uses a running tracker instead.
// The binary needs PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379); it creates its
// database (FERROTUBE_PLAYER_TEST_DB, default player_test) on first start.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startTracker({ logFile }) {
  if (process.env.FERROTUBE_PLAYER_TRACKER) {
    const ws = process.env.FERROTUBE_PLAYER_TRACKER;
    const httpBase = ws.replace(/^ws/, 'http').replace(/\/tracker\/socket$/, '');
    return { ws, httpBase, stop: async () => {} };
  }
  const bin = process.env.FERROTUBE_BIN || '/tmp/ferrotube-baseline';
  if (!fs.existsSync(bin)) throw new Error(`no ferrotube binary at ${bin} (set FERROTUBE_BIN)`);

  const port = await freePort();
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrotube-player-storage-'));
  const env = {
    ...process.env,
    FERROTUBE_DATABASE__NAME: process.env.FERROTUBE_PLAYER_TEST_DB || 'player_test',
    FERROTUBE_LISTEN__PORT: String(port),
    FERROTUBE_WEBSERVER__HOSTNAME: '127.0.0.1',
    FERROTUBE_WEBSERVER__PORT: String(port),
    FERROTUBE_STORAGE__ROOT: storage,
    FERROTUBE_REDIS__PREFIX: `playertest${port}:`,
    // this build does not know HLS swarm ids yet: let any info hash announce
    FERROTUBE_TRACKER__PRIVATE: 'false',
    FERROTUBE_INITIAL_ROOT_PASSWORD: 'rootpass1',
  };
  const log = fs.openSync(logFile, 'w');
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', log, log] });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const httpBase = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`ferrotube exited (${JSON.stringify(exited)}), see ${logFile}`);
    try {
      const res = await fetch(`${httpBase}/api/v1/config`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`ferrotube did not start within 90 s, see ${logFile}`);
    }
    await sleep(300);
  }

  return {
    ws: `ws://127.0.0.1:${port}/tracker/socket`,
    httpBase,
    pid: child.pid,
    stop: async () => {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
        if (!exited) child.kill('SIGKILL');
      }
      fs.closeSync(log);
      fs.rmSync(storage, { recursive: true, force: true });
    },
  };
}

// GET /tracker/scrape for one info hash: {complete, incomplete, downloaded} or null.
export async function scrape(httpBase, infoHashHex) {
  const bytes = Buffer.from(infoHashHex, 'hex');
  const encoded = [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const res = await fetch(`${httpBase}/tracker/scrape?info_hash=${encoded}`);
  const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
  const pick = (key) => {
    const m = new RegExp(`${key.length}:${key}i(\\d+)e`).exec(body);
    return m ? Number(m[1]) : null;
  };
  if (!body.includes('5:files')) return null;
  return { complete: pick('complete'), incomplete: pick('incomplete'), downloaded: pick('downloaded'), raw: body };
}
