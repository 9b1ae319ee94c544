// Bundles src/main.js (and the CSS it imports) into dist/ with content-hashed names, and writes
// dist/manifest.json: {"player.js": "player-<hash>.js", "player.css": "player-<hash>.css"}.
// Run through scripts/build-player, which installs the pinned packages first.

import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const tmp = path.join(here, `.dist-tmp-${process.pid}`);

fs.rmSync(tmp, { recursive: true, force: true });

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { player: 'src/main.js' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome80', 'firefox78', 'safari14'],
  minify: true,
  legalComments: 'eof', // keeps the Apache-2.0 notices of hls.js and p2p-media-loader
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  outdir: tmp,
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  inject: ['src/node-shims.js'],
  logLevel: 'warning',
});

const manifest = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  const name = path.basename(file);
  if (output.entryPoint === 'src/main.js') manifest['player.js'] = name;
  if (output.entryPoint === undefined && name.endsWith('.css')) manifest['player.css'] = name;
}
if (!manifest['player.js'] || !manifest['player.css']) {
  throw new Error(`unexpected esbuild outputs: ${Object.keys(result.metafile.outputs).join(', ')}`);
}
fs.writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// Replace dist/ in one step, so it never holds a mix of two builds.
fs.rmSync(dist, { recursive: true, force: true });
fs.renameSync(tmp, dist);

for (const [logical, file] of Object.entries(manifest)) {
  const size = fs.statSync(path.join(dist, file)).size;
  console.log(`build-player: ${logical} -> dist/${file} (${(size / 1024).toFixed(0)} KiB)`);
}
