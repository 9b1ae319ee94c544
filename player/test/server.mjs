// The tests' stand-in for ferrotube's web server: serves the HLS fixture and web videos under
// PeerTube's paths with byte ranges, the built player (with the cache headers the real server
// must send), one watch page per scenario, and records the views POSTed to the REST endpoint.
// Listens on 127.0.0.1 only.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

const TYPES = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.mp4': 'video/mp4',
  '.json': 'application/json',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// JSON inside <script type="application/json">: "<" must not open a tag.
export function jsonForScript(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// What ferrotube's watch page is expected to render: a playable <video> without JavaScript, the
// config blob, and the hashed player assets from dist/manifest.json.
export function renderWatchPage({ title, config, fallbackSrc, manifest, withScript = true }) {
  const assets = withScript
    ? `<link rel="stylesheet" href="/client/player/${manifest['player.css']}">\n`
      + `<script type="application/json" id="ferrotube-player-config">${jsonForScript(config)}</script>\n`
      + `<script defer src="/client/player/${manifest['player.js']}"></script>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${assets}
</head>
<body style="margin:0;background:#222">
<div id="ferrotube-player" style="width:640px">
  <video controls preload="metadata" width="640" height="360"${fallbackSrc ? ` src="${escapeHtml(fallbackSrc)}"` : ''}></video>
</div>
</body>
</html>
`;
}

function sendFile(req, res, file, extraHeaders = {}, transform = null) {
  let stat;
  try {
    stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  const headers = {
    'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    'Access-Control-Allow-Origin': '*',
    ...extraHeaders,
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
  let start = 0;
  let end = stat.size - 1;
  let status = 200;
  if (range) {
    if (range[1] === '') {
      start = Math.max(0, stat.size - Number(range[2]));
    } else {
      start = Number(range[1]);
      if (range[2] !== '') end = Math.min(end, Number(range[2]));
    }
    if (start > end || start >= stat.size) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${stat.size}` }).end();
      return;
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${stat.size}`;
  }
  headers['Content-Length'] = end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file, { start, end }).pipe(res);
}

export function startServer({ fixtureDir, distDir, uuid }) {
  const pages = new Map(); // name -> () => html
  const views = []; // {at, videoId, headers, body}
  const requests = []; // {at, method, url, range}

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const p = decodeURIComponent(url.pathname);
    requests.push({ at: Date.now(), method: req.method, url: p, range: req.headers.range || null });

    let m;
    if ((m = /^\/api\/v1\/videos\/([^/]+)\/views$/.exec(p))) {
      if (req.method !== 'POST' && req.method !== 'PUT') {
        res.writeHead(405).end();
        return;
      }
      let raw = '';
      req.on('data', (chunk) => { raw += chunk; });
      req.on('end', () => {
        let body = null;
        try { body = JSON.parse(raw); } catch { /* recorded as null */ }
        views.push({ at: Date.now(), videoId: m[1], headers: req.headers, body });
        // PeerTube's validator: currentTime must be an integer
        res.writeHead(body && Number.isInteger(body.currentTime) ? 204 : 400).end();
      });
      return;
    }
    if ((m = /^\/static\/streaming-playlists\/hls\/([^/]+)\/([^/]+)$/.exec(p)) && m[1] === uuid) {
      sendFile(req, res, path.join(fixtureDir, 'hls', uuid, m[2]));
      return;
    }
    if ((m = /^\/static\/web-videos\/([^/]+)$/.exec(p))) {
      sendFile(req, res, path.join(fixtureDir, 'web-videos', m[1]));
      return;
    }
    if ((m = /^\/client\/player\/([^/]+)$/.exec(p)) && m[1] !== 'manifest.json') {
      sendFile(req, res, path.join(distDir, m[1]), { 'Cache-Control': IMMUTABLE });
      return;
    }
    if ((m = /^\/w\/([a-z0-9-]+)$/.exec(p)) && pages.has(m[1])) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(pages.get(m[1])());
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        origin: `http://127.0.0.1:${port}`,
        pages,
        views,
        requests,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}
