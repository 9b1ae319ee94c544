#!/usr/bin/env node
// Browser test of ferrotube's own pages, driven by the Rust integration test (tests/integration/
// web.rs) against a running server with one uploaded video:
//
//   node player/test/pages.mjs --base http://127.0.0.1:PORT --watch /w/ID --embed /videos/embed/UUID \
//        --title "Video name" --out target/browser-test-output
//
// Home lists the video, the watch page's player plays it (currentTime grows, not paused), the
// embed plays, the link-preview tags are in the DOM, the page without JavaScript has a playable
// <video>. Screenshots go to --out; the last line printed is the JSON of the results. Exit 0/1.

import fs from 'node:fs';
import path from 'node:path';

import { CHROMIUM_PATH, launchChromium } from './browser.mjs';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
}

const base = arg('base');
const watchUrl = base + arg('watch');
const embedUrl = base + arg('embed');
const title = arg('title');
const outDir = arg('out');
fs.mkdirSync(outDir, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[pages ${new Date().toISOString().slice(11, 19)}]`, ...a);
function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function waitUntil(what, fn, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last && last.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await sleep(200);
  }
}

const videoState = (p) => p.evaluate(() => {
  const v = document.querySelector('#ferrotube-player video');
  return v && { currentTime: v.currentTime, paused: v.paused, error: v.error && v.error.code, src: v.currentSrc };
});

// The player runs (its stats appear), then the viewer presses play: the position must move.
async function plays(p, label) {
  await p.waitForFunction(() => window.ferrotubePlayerStats && window.ferrotubePlayerStats.mode, null, { timeout: 15000 });
  const mode = await p.evaluate(() => window.ferrotubePlayerStats.mode);
  await p.evaluate(() => document.querySelector('#ferrotube-player video').play());
  const first = await waitUntil(`${label} to play`, async () => {
    const s = await videoState(p);
    return { ok: s && s.currentTime >= 0.5 && !s.paused, ...s };
  });
  await sleep(1000);
  const later = await videoState(p);
  assert(later.currentTime > first.currentTime + 0.3, `${label}: currentTime did not grow (${first.currentTime} -> ${later.currentTime})`);
  assert(!later.paused && !later.error, `${label}: paused or failed ${JSON.stringify(later)}`);
  return { mode, from: first.currentTime, to: later.currentTime, src: later.src };
}

const results = {};
const browser = await launchChromium();
let failed = null;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const consoleLog = [];
  context.on('page', (p) => {
    p.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
    p.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
  });

  // Home: the uploaded video with its thumbnail
  const home = await context.newPage();
  const res = await home.goto(`${base}/`);
  assert(res.status() === 200, `home: HTTP ${res.status()}`);
  const names = await home.$$eval('.video .name', (as) => as.map((a) => a.textContent));
  assert(names.includes(title), `home lists ${JSON.stringify(names)}`);
  await home.waitForFunction(() => [...document.querySelectorAll('.video img')].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10000 });
  await home.screenshot({ path: path.join(outDir, 'home.png'), fullPage: true });
  results.home = { videos: names.length };

  // Watch page: the player plays; the link-preview tags are there
  const watch = await context.newPage();
  await watch.goto(watchUrl);
  const meta = await watch.evaluate(() => {
    const m = (sel) => document.querySelector(sel)?.getAttribute('content') ?? null;
    const l = (type) => document.querySelector(`link[rel="alternate"][type="${type}"]`)?.getAttribute('href') ?? null;
    return {
      ogTitle: m('meta[property="og:title"]'), ogType: m('meta[property="og:type"]'), ogImage: m('meta[property="og:image"]'),
      ogVideo: m('meta[property="og:video:url"]'), twitterCard: m('meta[name="twitter:card"]'), twitterPlayer: m('meta[name="twitter:player"]'),
      oembedJson: l('application/json+oembed'), oembedXml: l('text/xml+oembed'), activityPub: l('application/activity+json'),
    };
  });
  assert(meta.ogTitle === title && meta.ogType === 'video' && meta.ogImage, `OpenGraph ${JSON.stringify(meta)}`);
  assert(meta.ogVideo === embedUrl && meta.twitterCard === 'player' && meta.twitterPlayer === embedUrl, `player card ${JSON.stringify(meta)}`);
  assert(meta.oembedJson && meta.oembedXml && meta.activityPub, `alternates ${JSON.stringify(meta)}`);
  results.watch = { ...(await plays(watch, 'watch page')), meta };
  await watch.screenshot({ path: path.join(outDir, 'watch.png') });

  // Embed
  const embed = await context.newPage();
  await embed.goto(embedUrl);
  results.embed = await plays(embed, 'embed');
  await embed.screenshot({ path: path.join(outDir, 'embed.png') });
  const errors = consoleLog.filter((l) => l.startsWith('[pageerror]'));
  assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
  fs.writeFileSync(path.join(outDir, 'console.log'), consoleLog.join('\n'));
  await context.close();

  // Without JavaScript: a plain <video> with a playable source
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const page = await noJs.newPage();
  await page.goto(watchUrl);
  const src = await page.getAttribute('#ferrotube-player video', 'src');
  assert(src, 'no <video src> without JavaScript');
  const file = await fetch(src, { headers: { Range: 'bytes=0-99' } });
  assert(file.status === 206 && /^video\//.test(file.headers.get('content-type') || ''), `fallback ${src}: ${file.status}`);
  assert(!(await page.$('.ferrotube-player__bar')), 'the player ran with JavaScript off');
  await page.screenshot({ path: path.join(outDir, 'watch-no-js.png') });
  results.noJs = { src };
  await noJs.close();
} catch (err) {
  failed = err;
} finally {
  await browser.close().catch(() => {});
}

results.chromium = CHROMIUM_PATH;
results.ok = !failed;
if (failed) results.error = failed.stack || String(failed);
fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(failed ? `FAIL: ${failed.message}` : 'PASS');
console.log(JSON.stringify(results));
process.exit(failed ? 1 : 0);
