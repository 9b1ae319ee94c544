// Optional interoperability test (node player/test/run.mjs --peertube): a real PeerTube 6.3.0 server
// (reference peertube-peer script) transcodes the fixture to HLS; PeerTube 6.3's own web player
// (the embed of the reference client build) and our player watch it through PeerTube's private
// tracker, and must exchange segments in both directions. PeerTube's tracker only admits the info
// hashes PeerTube computed, so our swarm id derivation is checked too.
//
// PeerTube's server runs with --no-client, so a small proxy serves the embed page and the client
// build next to it and forwards everything else to PeerTube (the embed talks to its own origin).
// PeerTube's client hardcodes public STUN servers: its RTCPeerConnection gets iceServers: [] (as
// CLIENT.md describes); our player is not wrapped.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const PEER_SCRIPT = process.env.PEERTUBE_PEER || '/work/shared/peertube/peertube-peer';
const CLIENT_TAR = process.env.PEERTUBE_CLIENT_TAR || '/work/shared/peertube/peertube-6.3.0-client-en.tar.zst';
const NAME = 'ferrotube_player';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

function unpackClient(outDir) {
  const dir = path.join(outDir, 'peertube-client');
  if (fs.existsSync(path.join(dir, 'dist', 'standalone', 'videos', 'embed.html'))) return path.join(dir, 'dist');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('bash', ['-c', `zstd -dc "${CLIENT_TAR}" | tar -x -C "${dir}"`], { stdio: 'inherit' });
  return path.join(dir, 'dist');
}

async function api(base, p, { token, method = 'GET', body, form } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload = body;
  if (form) {
    payload = new URLSearchParams(form);
  }
  const res = await fetch(`${base}${p}`, { method, headers, body: payload });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function startPeerTube(log) {
  const port = await freePort();
  const out = execFileSync(PEER_SCRIPT, ['start', NAME, String(port)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const env = Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  log(`peertube: ${env.url} (pid ${env.pid}, log ${env.log})`);
  return { url: env.url, password: env.root_password, stop: () => execFileSync(PEER_SCRIPT, ['stop', NAME], { stdio: 'ignore' }) };
}

async function uploadAndWait(pt, file, log) {
  const client = await api(pt.url, '/api/v1/oauth-clients/local');
  const tokenRes = await api(pt.url, '/api/v1/users/token', {
    method: 'POST',
    form: { client_id: client.client_id, client_secret: client.client_secret, grant_type: 'password', response_type: 'code', username: 'root', password: pt.password },
  });
  const token = tokenRes.access_token;
  const me = await api(pt.url, '/api/v1/users/me', { token });
  const form = new FormData();
  form.append('videofile', new Blob([fs.readFileSync(file)], { type: 'video/mp4' }), 'interop.mp4');
  form.append('name', 'ferrotube player interop');
  form.append('channelId', String(me.videoChannels[0].id));
  form.append('privacy', '1');
  form.append('waitTranscoding', 'true');
  const up = await api(pt.url, '/api/v1/videos/upload', { token, method: 'POST', body: form });
  const uuid = up.video.uuid;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const v = await api(pt.url, `/api/v1/videos/${uuid}`);
    if (v.state.id === 1 && v.streamingPlaylists.length > 0 && v.streamingPlaylists[0].segmentsSha256Url) {
      log(`peertube: video ${uuid} published with HLS`);
      return v;
    }
    if (Date.now() > deadline) throw new Error(`PeerTube did not publish ${uuid} in 3 min (state ${v.state.label})`);
    await sleep(1000);
  }
}

function startEmbedProxy(ptUrl, clientDist) {
  const target = new URL(ptUrl);
  const server = http.createServer(async (req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    try {
      if (p.startsWith('/videos/embed/')) {
        const config = await fetch(`${ptUrl}/api/v1/config`).then((r) => r.json());
        let html = fs.readFileSync(path.join(clientDist, 'standalone', 'videos', 'embed.html'), 'utf8');
        html = html.replace('<!-- server config -->',
          `<script type="application/javascript">window.PeerTubeServerConfig = ${JSON.stringify(JSON.stringify(config))}</script>`);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
        return;
      }
      let m;
      if ((m = /^\/client\/locales\/([^/]+)\/([a-z]+)\.json$/.exec(p))) {
        const f = path.join(clientDist, 'locale', `${m[2]}.en-US.json`);
        if (fs.existsSync(f)) {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(fs.readFileSync(f));
          return;
        }
      }
      if (p.startsWith('/client/')) {
        const f = path.join(clientDist, path.normalize(p.slice('/client/'.length)).replace(/^(\.\.[/\\])+/, ''));
        if (fs.existsSync(f) && fs.statSync(f).isFile()) {
          const type = f.endsWith('.js') ? 'text/javascript' : f.endsWith('.css') ? 'text/css' : f.endsWith('.json') ? 'application/json' : 'application/octet-stream';
          res.writeHead(200, { 'Content-Type': type }).end(fs.readFileSync(f));
          return;
        }
      }
    } catch (err) {
      res.writeHead(500).end(String(err));
      return;
    }
    const upstream = http.request({
      host: target.hostname, port: target.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: target.host },
    }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => res.writeHead(502).end(String(err)));
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
  })));
}

const NO_STUN_FOR_PEERTUBE = () => {
  const Original = window.RTCPeerConnection;
  if (!Original) return;
  class NoStun extends Original {
    constructor(config = {}, ...rest) {
      super({ ...config, iceServers: [] }, ...rest);
    }
  }
  window.RTCPeerConnection = NoStun;
};

// h: the runner's helpers (newContext, closeContext, openPlayer, stats, play, waitUntil,
// waitPlaying, screenshot, page, renderable config bits, log, assert)
export async function peertubeInterop(h) {
  const { log, assert } = h;
  const clientDist = unpackClient(h.outDir);
  const pt = await startPeerTube(log);
  let proxy = null;
  const contexts = [];
  try {
    const video = await uploadAndWait(pt, h.sourceFile, log);
    proxy = await startEmbedProxy(pt.url, clientDist);
    const playlist = video.streamingPlaylists[0];
    const wsTrackers = video.trackerUrls.filter((u) => u.startsWith('ws'));

    const ours = h.page('peertube-interop', {
      video: { id: video.id, uuid: video.uuid, name: video.name, duration: video.duration },
      hls: {
        playlistUrl: playlist.playlistUrl,
        segmentsSha256Url: playlist.segmentsSha256Url,
        files: playlist.files.map((f) => ({ resolution: f.resolution, width: f.width, height: f.height, fps: f.fps, fileUrl: f.fileUrl })),
      },
      webVideoFiles: video.files.map((f) => ({ resolution: f.resolution, fileUrl: f.fileUrl, size: f.size })),
      p2p: { enabled: true, trackerUrls: wsTrackers, stunServers: [] },
      views: { url: `${pt.url}/api/v1/videos/${video.uuid}/views`, intervalMs: 5000 },
      viewer: { loggedIn: false, accessToken: null },
      startTime: 0,
    }, video.files[0] && video.files[0].fileUrl);
    const embedUrl = `${proxy.origin}/videos/embed/${video.uuid}?autoplay=1&muted=1&p2p=1&warningTitle=0&peertubeLink=0`;

    // 1. PeerTube's player first, ours ~10 s later: we download from PeerTube's player.
    const ctxPT = await h.newContext('interop-peertube-1');
    contexts.push(ctxPT);
    await ctxPT.addInitScript(NO_STUN_FOR_PEERTUBE);
    const ptPage = await ctxPT.newPage();
    await ptPage.goto(embedUrl);
    await h.waitUntil('PeerTube\'s embed to play 10 s', async () => {
      const t = await ptPage.evaluate(() => { const v = document.querySelector('video'); return v ? v.currentTime : 0; });
      return { ok: t >= 10, info: t };
    }, 60000, 500);

    const ctxOurs = await h.newContext('interop-ours');
    contexts.push(ctxOurs);
    const p = await h.openPlayer(ctxOurs, ours);
    await h.play(p);
    const down = await h.waitUntil('our player to get bytes from PeerTube\'s player', async () => {
      const s = await h.stats(p);
      return { ok: s.p2pDownloaded > 0 && s.segmentsFromPeers > 0, info: s };
    }, 60000, 500);
    assert(down.info.refusedSegments === 0, `refused ${down.info.refusedSegments} segments from PeerTube's player`);
    await h.screenshot(ptPage, 'g-interop-peertube-embed');

    // 2. A second PeerTube player behind ours: it downloads from us.
    await h.waitPlaying(p, 12, 40000);
    await h.closeContext(ctxPT);
    contexts.splice(contexts.indexOf(ctxPT), 1);
    const ctxPT2 = await h.newContext('interop-peertube-2');
    contexts.push(ctxPT2);
    await ctxPT2.addInitScript(NO_STUN_FOR_PEERTUBE);
    const pt2 = await ctxPT2.newPage();
    await pt2.goto(embedUrl);
    const up = await h.waitUntil('PeerTube\'s player to get bytes from ours', async () => {
      const s = await h.stats(p);
      return { ok: s.p2pUploaded > 0, info: s };
    }, 60000, 500);
    await h.waitUntil('the second PeerTube embed to play', async () => {
      const t = await pt2.evaluate(() => { const v = document.querySelector('video'); return v ? v.currentTime : 0; });
      return { ok: t >= 2, info: t };
    }, 30000, 500).catch(() => {});
    await h.screenshot(p, 'g-interop-ours');
    await h.screenshot(pt2, 'g-interop-peertube-embed-2');
    return {
      peertube: pt.url,
      playlistUrl: playlist.playlistUrl,
      fromPeerTubePlayer: { p2pDownloaded: down.info.p2pDownloaded, segmentsFromPeers: down.info.segmentsFromPeers },
      toPeerTubePlayer: { p2pUploaded: up.info.p2pUploaded },
    };
  } finally {
    for (const c of contexts) await h.closeContext(c);
    if (proxy) await proxy.close();
    try { pt.stop(); } catch { /* already gone */ }
  }
}
