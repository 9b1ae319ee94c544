#!/usr/bin/env node
// Browser tests of the player: node player/test/run.mjs [--peertube] [name-filter]
// (exit code 0 = all passed; --peertube adds the interop test against a real PeerTube 6.3)
//
// Builds the player (scripts/build-player), generates an HLS fixture with ffmpeg as PeerTube does,
// serves it with a small HTTP server, starts the ferrotube baseline binary as the WebTorrent
// tracker, and drives Debian's Chromium (/usr/bin/chromium, via playwright-core). Screenshots,
// console logs and results.json go to player/test/output/.
//
// Environment: CHROMIUM (browser path), FERROTUBE_BIN (tracker binary), FERROTUBE_PLAYER_TRACKER
// (use a running tracker), FERROTUBE_PLAYER_SKIP_BUILD=1 (use player/dist as it is).

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureFixture, FIXTURE } from './fixture.mjs';
import { renderWatchPage, startServer, IMMUTABLE } from './server.mjs';
import { scrape, startTracker } from './tracker.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const playerDir = path.resolve(here, '..');
const repoDir = path.resolve(playerDir, '..');
const outDir = path.join(here, 'output');
const args = process.argv.slice(2);
const withPeerTube = args.includes('--peertube') || process.env.FERROTUBE_PLAYER_PEERTUBE === '1';
const filter = args.find((a) => !a.startsWith('--')) || '';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function log(...args) {
  console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// ----- build, fixture, servers ----------------------------------------------------------------

fs.mkdirSync(outDir, { recursive: true });
if (process.env.FERROTUBE_PLAYER_SKIP_BUILD !== '1') {
  const build = spawnSync('bash', [path.join(repoDir, 'scripts', 'build-player')], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('build-player failed');
    process.exit(1);
  }
}
// after the build: it installs playwright-core
const { CHROMIUM_PATH, launchChromium } = await import('./browser.mjs');
const manifest = JSON.parse(fs.readFileSync(path.join(playerDir, 'dist', 'manifest.json'), 'utf8'));

log('fixture: generating or reusing the HLS fixture (ffmpeg)');
const fixture = ensureFixture(outDir);
const server = await startServer({ fixtureDir: fixture.dir, distDir: path.join(playerDir, 'dist'), uuid: FIXTURE.uuid });
log(`http server: ${server.origin}`);

let tracker = null;
let trackerError = null;
try {
  tracker = await startTracker({ logFile: path.join(outDir, 'tracker.log') });
  log(`tracker: ${tracker.ws}${tracker.pid ? ` (ferrotube pid ${tracker.pid})` : ''}`);
} catch (err) {
  trackerError = err;
  log(`tracker: NOT AVAILABLE: ${err.message}`);
}

const hlsBase = `${server.origin}/static/streaming-playlists/hls/${FIXTURE.uuid}`;
const masterUrl = `${hlsBase}/${fixture.masterName}`;
const file360 = fixture.files.find((f) => f.resolution === 360);
const webVideoFiles = fixture.files.map((f) => ({
  resolution: { id: f.resolution, label: `${f.resolution}p` },
  width: f.width, height: f.height, fps: f.fps, size: f.webSize,
  fileUrl: `${server.origin}/static/web-videos/${f.web}`,
}));
const viewsUrl = `${server.origin}/api/v1/videos/${FIXTURE.uuid}/views`;

function baseConfig(overrides = {}) {
  return {
    video: { id: 1, uuid: FIXTURE.uuid, name: 'Player test card', duration: FIXTURE.duration },
    hls: {
      playlistUrl: masterUrl,
      segmentsSha256Url: `${hlsBase}/${fixture.shaName}`,
      files: fixture.files.map((f) => ({ resolution: f.resolution, width: f.width, height: f.height, fps: f.fps, fileUrl: `${hlsBase}/${f.fragmented}` })),
    },
    webVideoFiles,
    p2p: { enabled: true, trackerUrls: tracker ? [tracker.ws] : [], stunServers: [] },
    views: { url: viewsUrl, intervalMs: 5000 },
    viewer: { loggedIn: false, accessToken: null },
    requiresAuth: false,
    videoFileToken: null,
    startTime: 0,
    autoplay: false,
    ...overrides,
  };
}

function page(name, config, fallbackSrc = webVideoFiles[0].fileUrl) {
  server.pages.set(name, () => renderWatchPage({ title: name, config, fallbackSrc, manifest }));
  return `${server.origin}/w/${name}`;
}

// ----- browser helpers ------------------------------------------------------------------------

const chromiumPath = CHROMIUM_PATH;
const browser = await launchChromium();
log(`browser: ${chromiumPath} ${browser.version()}`);

const openContexts = new Set();

async function newContext(label) {
  const context = await browser.newContext({ viewport: { width: 800, height: 520 } });
  openContexts.add(context);
  context.label = label;
  context.consoleLog = [];
  context.on('page', (p) => {
    p.on('console', (msg) => context.consoleLog.push(`[${msg.type()}] ${msg.text()}`));
    p.on('pageerror', (err) => context.consoleLog.push(`[pageerror] ${err.message}`));
  });
  return context;
}

async function closeContext(context) {
  fs.writeFileSync(path.join(outDir, `console-${context.label}.log`), context.consoleLog.join('\n'));
  openContexts.delete(context);
  await context.close().catch(() => {});
}

async function openPlayer(context, url) {
  const p = await context.newPage();
  await p.goto(url);
  await p.waitForFunction(() => window.ferrotubePlayerStats && window.ferrotubePlayerStats.mode !== undefined, null, { timeout: 15000 });
  return p;
}

const stats = (p) => p.evaluate(() => JSON.parse(JSON.stringify(window.ferrotubePlayerStats)));
const videoState = (p) => p.evaluate(() => {
  const v = document.querySelector('#ferrotube-player video');
  const buffered = [];
  for (let i = 0; i < v.buffered.length; i++) buffered.push([v.buffered.start(i), v.buffered.end(i)]);
  return { currentTime: v.currentTime, paused: v.paused, ended: v.ended, duration: v.duration, currentSrc: v.currentSrc, error: v.error && v.error.code, buffered };
});

async function waitUntil(what, fn, timeoutMs = 30000, stepMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last && last.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last && last.info !== undefined ? last.info : last)}`);
    await sleep(stepMs);
  }
}

// The viewer presses play (the page's autoplay policy is relaxed by a browser flag).
const play = (p) => p.evaluate(() => document.querySelector('#ferrotube-player video').play());
const pause = (p) => p.evaluate(() => document.querySelector('#ferrotube-player video').pause());

async function selectQuality(p, label) {
  await p.waitForSelector(`.ferrotube-player__quality select option:text-is("${label}")`, { state: 'attached', timeout: 15000 });
  await p.selectOption('.ferrotube-player__quality select', { label });
}

async function waitPlaying(p, minTime, timeoutMs = 30000) {
  return waitUntil(`currentTime >= ${minTime}`, async () => {
    const s = await videoState(p);
    return { ok: s.currentTime >= minTime && !s.paused, info: s };
  }, timeoutMs);
}

async function screenshot(p, name) {
  await p.screenshot({ path: path.join(outDir, `${name}.png`) }).catch((err) => log(`screenshot ${name} failed: ${err.message}`));
}

function swarmInfoHash(variantIndex) {
  // PeerTube 6.3 (server/core/helpers/webtorrent... generateP2PMediaLoaderInfoHashes) and
  // p2p-media-loader: sha1("2" + masterPlaylistUrl + "+V" + index)
  return crypto.createHash('sha1').update(`2${masterUrl}+V${variantIndex}`).digest('hex');
}

const variant360 = fixture.files.slice().sort((a, b) => a.resolution - b.resolution).findIndex((f) => f.resolution === 360);

// ----- the tests ------------------------------------------------------------------------------

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('a-playback', async () => {
  const ctx = await newContext('a');
  try {
    const p = await openPlayer(ctx, page('hls', baseConfig()));
    let s = await stats(p);
    assert(s.mode === 'hls-p2p', `mode is ${s.mode}, expected hls-p2p`);
    await p.waitForSelector('.ferrotube-player__quality select option:text-is("360p")', { state: 'attached', timeout: 15000 });
    const labels = await p.$$eval('.ferrotube-player__quality select option', (os) => os.map((o) => o.textContent));
    assert(labels.includes('360p') && labels.includes('240p') && labels[0].startsWith('Auto'), `quality menu: ${labels}`);

    await play(p);
    const t1 = (await waitPlaying(p, 1)).info.currentTime;
    await sleep(2000);
    const t2 = (await videoState(p)).currentTime;
    assert(t2 > t1 + 1, `currentTime did not grow: ${t1} -> ${t2}`);
    s = await stats(p);
    assert(s.httpDownloaded > 0, 'no HTTP bytes counted');
    assert(s.autoResolution === true && s.resolution > 0, `auto resolution: ${JSON.stringify([s.autoResolution, s.resolution])}`);
    const autoResolution = s.resolution;

    // manual switch, then back to automatic
    await selectQuality(p, '240p');
    await waitUntil('the 240p rendition', async () => {
      const st = await stats(p);
      return { ok: st.resolution === 240 && st.autoResolution === false, info: st.resolution };
    }, 20000);
    const t3 = (await videoState(p)).currentTime;
    await waitPlaying(p, t3 + 1.5, 15000);
    await screenshot(p, 'a-playback-240p');
    await p.selectOption('.ferrotube-player__quality select', 'auto');
    s = await stats(p);
    assert(s.autoResolution === true, 'auto not restored');
    const label = await p.textContent('.ferrotube-player__stats');
    await screenshot(p, 'a-playback');
    return { t1, t2, autoResolution, manual: 240, statsLabel: label, httpDownloaded: s.httpDownloaded };
  } finally {
    await closeContext(ctx);
  }
});

test('b-p2p', async () => {
  assert(tracker, `no tracker: ${trackerError && trackerError.message}`);
  const ctxA = await newContext('b-seeder');
  const ctxB = await newContext('b-leecher');
  try {
    const url = page('p2p', baseConfig());
    const a = await openPlayer(ctxA, url);
    await selectQuality(a, '360p');
    await play(a);
    await waitPlaying(a, 10, 40000); // A is ~3 segments ahead: what B will ask peers for

    const b = await openPlayer(ctxB, url);
    await selectQuality(b, '360p');
    await play(b);
    const got = await waitUntil('bytes from a peer in B', async () => {
      const sb = await stats(b);
      return { ok: sb.p2pDownloaded > 0 && sb.segmentsFromPeers > 0, info: sb };
    }, 60000, 500);
    const sb = got.info;
    const sa = await stats(a);
    assert(sb.peersEver >= 1, 'B never connected to a peer');
    assert(sa.p2pUploaded > 0, `A uploaded nothing (${sa.p2pUploaded})`);
    assert(sb.refusedSegments === 0, `B refused ${sb.refusedSegments} segments`);
    await waitPlaying(b, 2, 20000);

    const hash = swarmInfoHash(variant360);
    const scraped = await scrape(tracker.httpBase, hash).catch((err) => ({ error: err.message }));
    await screenshot(a, 'b-p2p-seeder');
    await screenshot(b, 'b-p2p-leecher');
    return {
      leecher: { peers: sb.peers, p2pDownloaded: sb.p2pDownloaded, httpDownloaded: sb.httpDownloaded, segmentsFromPeers: sb.segmentsFromPeers, segmentsFromHttp: sb.segmentsFromHttp },
      seeder: { peers: sa.peers, p2pUploaded: sa.p2pUploaded },
      swarm: { infoHash: hash, formula: `sha1("2" + masterUrl + "+V${variant360}")`, scrape: scraped && { complete: scraped.complete, incomplete: scraped.incomplete, error: scraped.error } },
    };
  } finally {
    await closeContext(ctxA);
    await closeContext(ctxB);
  }
});

test('c-corrupted-peer-segment', async () => {
  assert(tracker, `no tracker: ${trackerError && trackerError.message}`);
  const ctxA = await newContext('c-bad-seeder');
  const ctxB = await newContext('c-leecher');
  try {
    // A gets corrupted bytes for one 360p segment from HTTP (as a tampered cache or a malicious
    // peer would have) and shares them; B must refuse them and fetch the segment over HTTP.
    const bad = fixture.segments[360][5];
    const badRange = `bytes=${bad.first}-${bad.last}`;
    let corrupted = 0;
    const aRanges = [];
    await ctxA.route((u) => u.pathname.endsWith(file360.fragmented), async (route) => {
      const range = route.request().headers().range;
      aRanges.push(range || null);
      if (range !== badRange) return route.continue();
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      for (let i = body.length - 2000; i < body.length; i++) body[i] ^= 0xff; // inside the mdat
      corrupted++;
      return route.fulfill({ status: response.status(), headers: response.headers(), body });
    });

    const url = page('p2p-bad', baseConfig());
    const a = await openPlayer(ctxA, url);
    await selectQuality(a, '360p');
    await play(a);
    await waitUntil('A to download the segment it will corrupt', async () => ({ ok: corrupted > 0, info: corrupted }), 40000);
    await waitPlaying(a, 12, 30000);
    await pause(a); // A never plays the bad bytes itself, it only keeps them for peers

    const bRequests = [];
    ctxB.on('request', (r) => {
      if (r.url().endsWith(file360.fragmented)) bRequests.push({ at: Date.now(), range: r.headers().range || null });
    });
    const b = await openPlayer(ctxB, url);
    await selectQuality(b, '360p');
    await play(b);
    const refusedAt = Date.now();
    const refused = await waitUntil('B to refuse the corrupted segment', async () => {
      const sb = await stats(b);
      return { ok: sb.refusedSegments > 0, info: sb };
    }, 60000, 500);
    const refusedAfterMs = Date.now() - refusedAt;
    const r0 = refused.info.refused[0];
    assert(r0.range === badRange, `refused range ${r0.range}, expected ${badRange}`);
    assert(/sha256/.test(r0.reason), `refusal reason: ${r0.reason}`);

    // the same segment, over HTTP, then in B's buffer (its time range is 20-24 s)
    await waitUntil('B to fetch the refused segment over HTTP and buffer it', async () => {
      const st = await videoState(b);
      const httpFetched = bRequests.some((q) => q.range === badRange);
      const inBuffer = st.buffered.some(([s, e]) => s <= 20.5 && e >= 23.5);
      const sbNow = await stats(b);
      return { ok: httpFetched && inBuffer, info: { httpFetched, buffered: st.buffered, currentTime: st.currentTime, src: st.currentSrc, mode: sbNow.mode, fallbacks: sbNow.fallbacks, refused: sbNow.refused, requests: bRequests.slice(0, 12), aRanges, corrupted } };
    }, 60000, 500);
    const sb = await stats(b);
    const st = await videoState(b);
    assert(!st.error, `B's video element error ${st.error}`);
    assert(sb.mode === 'hls-p2p', `B fell back: ${sb.fallbacks}`);
    await screenshot(b, 'c-corrupted-leecher');
    return {
      corruptedResponsesInA: corrupted,
      refused: { range: r0.range, reason: r0.reason, secondsAfterPlay: refusedAfterMs / 1000 },
      leecher: { refusedSegments: sb.refusedSegments, p2pDownloaded: sb.p2pDownloaded, segmentsFromPeers: sb.segmentsFromPeers, httpRequestsForRefusedRange: bRequests.filter((q) => q.range === badRange).length },
    };
  } finally {
    await closeContext(ctxA);
    await closeContext(ctxB);
  }
});

test('d-views', async () => {
  const ctx = await newContext('d');
  try {
    const before = server.views.length;
    const p = await openPlayer(ctx, page('views', baseConfig({ p2p: { enabled: false, trackerUrls: [], stunServers: [] } })));
    await sleep(1500);
    assert(server.views.length === before, 'a view was sent before play');
    await play(p);
    const mine = () => server.views.slice(before);
    await waitUntil('the first view', async () => ({ ok: mine().length >= 1, info: mine().length }), 10000);
    const first = mine()[0];
    assert(first.body.currentTime === 0, `first view currentTime ${first.body.currentTime}`);
    assert(/^[A-Za-z0-9]{32}$/.test(first.body.sessionId), `sessionId ${first.body.sessionId}`);
    assert(first.headers['content-type'] === 'application/json; charset=UTF-8', `content-type ${first.headers['content-type']}`);
    assert(!first.headers.authorization, 'anonymous view carried Authorization');
    assert(first.videoId === FIXTURE.uuid, `views URL id ${first.videoId}`);

    // then every 5 s (the interval runs from page load, as PeerTube's, so the first tick comes
    // sooner), while the position moves
    await waitUntil('two periodic views', async () => ({ ok: mine().length >= 3, info: mine().map((v) => v.body) }), 15000);
    const [, second, third] = mine();
    const gapMs = third.at - second.at;
    assert(second.body.currentTime >= 1 && second.body.currentTime <= 6, `second view at ${second.body.currentTime}`);
    assert(third.body.currentTime - second.body.currentTime >= 4, `third view at ${third.body.currentTime}`);
    assert(gapMs >= 4500 && gapMs <= 5500, `interval ${gapMs} ms`);

    // a seek marks the next report; the end sends the duration
    await p.evaluate(() => { document.querySelector('#ferrotube-player video').currentTime = 44; });
    await waitUntil('the ended view', async () => ({ ok: mine().some((v) => v.body.currentTime === FIXTURE.duration), info: mine().map((v) => v.body) }), 20000);
    const bodies = mine().map((v) => v.body);
    const seekReport = bodies.find((b) => b.viewEvent === 'seek');
    assert(seekReport && seekReport.currentTime >= 44, `no seek report: ${JSON.stringify(bodies)}`);
    assert(bodies.every((b) => b.sessionId === first.body.sessionId), 'sessionId changed');
    assert(mine().every((v) => v.headers['content-type'] === 'application/json; charset=UTF-8'), 'content-type');

    // a logged-in viewer sends its token
    const beforeAuth = server.views.length;
    const p2 = await openPlayer(ctx, page('views-auth', baseConfig({
      p2p: { enabled: false, trackerUrls: [], stunServers: [] },
      viewer: { loggedIn: true, accessToken: 'test-access-token' },
    })));
    await play(p2);
    await waitUntil('the logged-in view', async () => ({ ok: server.views.length > beforeAuth, info: server.views.length }), 10000);
    const authView = server.views[beforeAuth];
    assert(authView.headers.authorization === 'Bearer test-access-token', `authorization ${authView.headers.authorization}`);
    // the session id lives per browser tab (sessionStorage), as PeerTube's
    assert(/^[A-Za-z0-9]{32}$/.test(authView.body.sessionId) && authView.body.sessionId !== first.body.sessionId, 'a new tab has its own session id');
    await screenshot(p, 'd-views');
    return { reports: bodies, intervalMs: gapMs, authorization: authView.headers.authorization };
  } finally {
    await closeContext(ctx);
  }
});

test('e-web-video-fallback', async () => {
  const ctx = await newContext('e');
  try {
    // (1) no HLS at all: the web-video files
    const p = await openPlayer(ctx, page('web', baseConfig({ hls: null })));
    let s = await stats(p);
    assert(s.mode === 'web-video', `mode ${s.mode}`);
    await play(p);
    await waitPlaying(p, 2, 20000);
    let st = await videoState(p);
    assert(st.currentSrc === webVideoFiles.find((f) => f.resolution.id === 360).fileUrl, `plays ${st.currentSrc}`);
    await selectQuality(p, '240p');
    await waitUntil('the 240p web video', async () => {
      const v = await videoState(p);
      return { ok: v.currentSrc.endsWith('-240.mp4') && v.currentTime >= st.currentTime && !v.paused, info: v };
    }, 20000);
    const t = (await videoState(p)).currentTime;
    await waitPlaying(p, t + 1, 10000);
    await screenshot(p, 'e-web-video');

    // (2) HLS announced but broken (master playlist 404): hls.js fails, the player falls back
    const broken = baseConfig({ hls: { ...baseConfig().hls, playlistUrl: `${hlsBase}/missing-master.m3u8` } });
    const p2 = await openPlayer(ctx, page('hls-broken', broken));
    await waitUntil('the fallback to web video', async () => {
      const st2 = await stats(p2);
      return { ok: st2.mode === 'web-video', info: st2 };
    }, 30000);
    await play(p2);
    await waitPlaying(p2, 1.5, 20000);
    s = await stats(p2);
    await screenshot(p2, 'e-hls-broken-fallback');

    // (3) a server without web videos (PeerTube's default) lists the HLS renditions' fragmented
    // MP4s as the fallback files: browsers play them progressively too
    const fmp4Files = fixture.files.map((f) => ({ resolution: f.resolution, fileUrl: `${hlsBase}/${f.fragmented}` }));
    const p3 = await openPlayer(ctx, page('fmp4-fallback', baseConfig({ hls: null, webVideoFiles: fmp4Files })));
    await play(p3);
    await waitPlaying(p3, 1.5, 20000);
    const st3 = await videoState(p3);
    assert(st3.currentSrc.endsWith('-360-fragmented.mp4'), `plays ${st3.currentSrc}`);
    return { fallback: s.fallbacks, resolution: s.resolution, fragmentedMp4Fallback: st3.currentSrc.split('/').pop() };
  } finally {
    await closeContext(ctx);
  }
});

test('f-assets-and-no-js', async () => {
  // the hashed assets are served immutable; the page works without JavaScript
  const res = await fetch(`${server.origin}/client/player/${manifest['player.js']}`);
  assert(res.ok && res.headers.get('cache-control') === IMMUTABLE, 'player.js cache headers');
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 800, height: 520 } });
  openContexts.add(ctx);
  try {
    const p = await ctx.newPage();
    await p.goto(page('no-js', baseConfig()));
    const src = await p.getAttribute('#ferrotube-player video', 'src');
    assert(src === webVideoFiles[0].fileUrl, `plain <video> src ${src}`);
    const bar = await p.$('.ferrotube-player__bar');
    assert(!bar, 'the player ran with JavaScript disabled');
    return { plainVideoSrc: src, playerJs: manifest['player.js'], cacheControl: res.headers.get('cache-control') };
  } finally {
    openContexts.delete(ctx);
    await ctx.close();
  }
});

if (withPeerTube) {
  test('g-peertube-interop', async () => {
    const { peertubeInterop } = await import('./peertube-interop.mjs');
    return peertubeInterop({
      outDir, log, assert, newContext, closeContext, openPlayer, stats, play, waitUntil, waitPlaying, screenshot, page,
      sourceFile: path.join(fixture.dir, 'web-videos', file360.web),
    });
  });
}

// ----- run ------------------------------------------------------------------------------------

const results = [];
for (const t of tests) {
  if (filter && !t.name.includes(filter)) continue;
  const started = Date.now();
  log(`test ${t.name} ...`);
  try {
    const details = await t.fn();
    results.push({ name: t.name, ok: true, ms: Date.now() - started, details });
    log(`test ${t.name}: PASS (${((Date.now() - started) / 1000).toFixed(1)} s) ${JSON.stringify(details)}`);
  } catch (err) {
    results.push({ name: t.name, ok: false, ms: Date.now() - started, error: err.stack || String(err) });
    log(`test ${t.name}: FAIL: ${err.message}`);
  }
}

for (const ctx of openContexts) await ctx.close().catch(() => {});
await browser.close().catch(() => {});
await server.close();
if (tracker) await tracker.stop();

fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify({ at: new Date().toISOString(), chromium: browser.version(), results }, null, 2)}\n`);
const failed = results.filter((r) => !r.ok);
log(`${results.length - failed.length}/${results.length} passed; output in ${path.relative(process.cwd(), outDir) || outDir}`);
process.exit(failed.length === 0 && results.length > 0 ? 0 : 1);
