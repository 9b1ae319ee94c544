// Generates the test video the way PeerTube 6.3 lays it out (reference/PEERTUBE-SERVER-FACTS.md §b, §i):
//   hls/<uuid>/<rnd>-<res>-fragmented.mp4   one fragmented MP4 per rendition, segments by byte range
//   hls/<uuid>/<rnd>-<res>.m3u8              its playlist (ffmpeg -hls_time 4 -hls_playlist_type vod
//                                             -hls_segment_type fmp4 -hls_flags single_file)
//   hls/<uuid>/<rnd>-master.m3u8             PeerTube's master playlist (lowest resolution first)
//   hls/<uuid>/<rnd>-segments-sha256.json    {file: {"start-end": sha256}}
//   web-videos/<rnd>-<res>.mp4               progressive MP4s for the web-video fallback
// The result is cached in the output folder (keyed by the recipe), so reruns skip ffmpeg.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE = {
  uuid: '9c1f6a3e-2b7d-4c55-8e0a-5d3b1f2e7a90',
  duration: 48, // 12 segments of 4 s
  fps: 25,
  resolutions: [240, 360],
};

const RECIPE_VERSION = 3;

function randomName() {
  return crypto.randomUUID();
}

function ffmpeg(args, cwd) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function ffprobe(file) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  return JSON.parse(out.toString());
}

// PeerTube's CODECS attribute (server/core/helpers/ffmpeg/codecs.ts): avc1.<profile><level hex>
function videoCodec(stream) {
  const profiles = { High: '6400', Main: '4D40', Baseline: '42E0' };
  const profile = profiles[stream.profile] || profiles.High;
  return `${stream.codec_tag_string}.${profile}${Number(stream.level).toString(16).padStart(2, '0')}`;
}

// The byte ranges of the media segments of a single-file playlist (not the EXT-X-MAP init part).
export function playlistRanges(content) {
  const ranges = [];
  for (const line of content.split('\n')) {
    const m = /^#EXT-X-BYTERANGE:(\d+)@(\d+)/.exec(line.trim());
    if (m) ranges.push({ length: Number(m[1]), offset: Number(m[2]) });
  }
  return ranges;
}

export function ensureFixture(outDir) {
  const dir = path.join(outDir, 'fixture');
  const stampFile = path.join(dir, 'fixture.json');
  const recipe = { RECIPE_VERSION, ...FIXTURE };
  if (fs.existsSync(stampFile)) {
    const existing = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (JSON.stringify(existing.recipe) === JSON.stringify(recipe)) return { dir, ...existing };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const hlsDir = path.join(dir, 'hls', FIXTURE.uuid);
  const webDir = path.join(dir, 'web-videos');
  fs.mkdirSync(hlsDir, { recursive: true });
  fs.mkdirSync(webDir, { recursive: true });

  // The "upload": a moving test card with a tone.
  const source = path.join(dir, 'source.mp4');
  ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=${FIXTURE.fps}:duration=${FIXTURE.duration}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${FIXTURE.duration}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', '-shortest', source,
  ], dir);

  const encode = (res) => [
    '-i', source,
    '-vf', `scale=w=-2:h=${res}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-profile:v', 'high',
    '-g:v', String(FIXTURE.fps * 2), // PeerTube: keyframe every 2 s
    '-c:a', 'aac', '-b:a', '64k',
    '-max_muxing_queue_size', '1024', '-map_metadata', '-1', '-pix_fmt', 'yuv420p',
  ];

  const hlsName = randomName();
  const files = [];
  for (const res of FIXTURE.resolutions) {
    const fragmented = `${hlsName}-${res}-fragmented.mp4`;
    const playlist = `${hlsName}-${res}.m3u8`;
    ffmpeg([
      ...encode(res),
      '-hls_time', '4', '-hls_list_size', '0', '-hls_playlist_type', 'vod',
      '-hls_segment_filename', fragmented, '-hls_segment_type', 'fmp4', '-f', 'hls',
      '-hls_flags', 'single_file', playlist,
    ], hlsDir);

    const webName = `${randomName()}-${res}.mp4`;
    ffmpeg([...encode(res), '-movflags', 'faststart', webName], webDir);

    const probe = ffprobe(path.join(hlsDir, fragmented));
    const v = probe.streams.find((s) => s.codec_type === 'video');
    const a = probe.streams.find((s) => s.codec_type === 'audio');
    const size = fs.statSync(path.join(hlsDir, fragmented)).size;
    files.push({
      resolution: res, width: v.width, height: v.height, fps: FIXTURE.fps, size,
      fragmented, playlist, web: webName, webSize: fs.statSync(path.join(webDir, webName)).size,
      codecs: [videoCodec(v), a && a.codec_name === 'aac' ? 'mp4a.40.2' : null].filter(Boolean).join(','),
    });
  }

  // PeerTube: '#EXTM3U', '#EXT-X-VERSION:3', '', <EXT-X-MEDIA>, '', then STREAM-INF + URI, sorted by resolution
  const master = ['#EXTM3U', '#EXT-X-VERSION:3', '', ''];
  for (const f of files.slice().sort((x, y) => x.resolution - y.resolution)) {
    const bandwidth = Math.ceil((f.size * 8) / FIXTURE.duration);
    master.push(`#EXT-X-STREAM-INF:BANDWIDTH=${bandwidth},RESOLUTION=${f.width}x${f.height},FRAME-RATE=${f.fps},CODECS="${f.codecs}"`);
    master.push(f.playlist);
  }
  const masterName = `${hlsName}-master.m3u8`;
  fs.writeFileSync(path.join(hlsDir, masterName), `${master.join('\n')}\n`);

  const sha = {};
  const segments = {};
  for (const f of files) {
    const content = fs.readFileSync(path.join(hlsDir, f.playlist), 'utf8');
    const data = fs.readFileSync(path.join(hlsDir, f.fragmented));
    const ranges = playlistRanges(content);
    sha[f.fragmented] = {};
    segments[f.resolution] = ranges.map((r) => ({ ...r, first: r.offset, last: r.offset + r.length - 1 }));
    for (const r of ranges) {
      sha[f.fragmented][`${r.offset}-${r.offset + r.length - 1}`] = crypto.createHash('sha256')
        .update(data.subarray(r.offset, r.offset + r.length)).digest('hex');
    }
  }
  const shaName = `${randomName()}-segments-sha256.json`;
  fs.writeFileSync(path.join(hlsDir, shaName), JSON.stringify(sha));
  fs.rmSync(source);

  const info = { recipe, masterName, shaName, files, segments };
  fs.writeFileSync(stampFile, JSON.stringify(info, null, 2));
  return { dir, ...info };
}
