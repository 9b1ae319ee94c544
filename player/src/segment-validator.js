// Checks segments received from peers against the video's segments-sha256 JSON, the file PeerTube
// (and ferrotube) publish beside the HLS playlists:
//   { "<rnd>-<res>-fragmented.mp4": { "<first byte>-<last byte>": "<sha256 hex>", ... }, ... }
// (older single-segment-per-file videos map a file name straight to one hash string).
// A segment that does not match is refused: p2p-media-loader then drops that peer and the segment
// is downloaded again, over HTTP once it is needed.

import { sha256Hex } from './sha256.js';

const MAX_REFETCH = 10;
const REFETCH_DELAY_MS = 500;
const BYTES_RANGE = /bytes=(\d+)-(\d+)/;

function fileNameOf(url) {
  const path = url.split('#')[0].split('?')[0];
  return path.slice(path.lastIndexOf('/') + 1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class SegmentValidator {
  // fetchHeaders: extra headers for the JSON request (Authorization for private videos).
  // onRefused(segment, peerId, reason) and onAccepted(segment, peerId) feed the statistics.
  constructor({ url, fetchHeaders = {}, onRefused = () => {}, onAccepted = () => {} }) {
    this.url = url;
    this.fetchHeaders = fetchHeaders;
    this.onRefused = onRefused;
    this.onAccepted = onAccepted;
    this.hashesPromise = null;
    this.destroyed = false;
  }

  load() {
    this.hashesPromise = fetch(this.url, { headers: this.fetchHeaders, credentials: 'same-origin' })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.json();
      })
      .catch((err) => {
        console.warn('ferrotube player: cannot load segments-sha256 JSON', err);
        return {};
      });
    return this.hashesPromise;
  }

  async expectedHash(segment, attempt = 1) {
    if (!this.hashesPromise) this.load();
    const hashes = await this.hashesPromise;
    const name = fileNameOf(segment.url);
    const entry = hashes ? hashes[name] : undefined;

    if (entry === undefined) {
      // A rendition added after we fetched the JSON (PeerTube rewrites it after each transcode).
      if (attempt >= MAX_REFETCH || this.destroyed) throw new Error(`unknown segment file ${name}`);
      await sleep(REFETCH_DELAY_MS);
      this.load();
      return this.expectedHash(segment, attempt + 1);
    }
    if (typeof entry === 'string') return entry;

    const match = BYTES_RANGE.exec(segment.range || '');
    if (!match) throw new Error(`segment ${name} has no byte range`);
    const key = `${match[1]}-${match[2]}`;
    const hash = entry[key];
    if (typeof hash !== 'string') throw new Error(`unknown range ${key} of ${name}`);
    return hash;
  }

  // The p2p-media-loader callback: (segment with data, "http" | "p2p", peerId) -> resolves or throws.
  // Only peer data is checked: HTTP data comes from the video's own server, which is the source
  // of the hashes as well.
  async validate(segment, method, peerId) {
    if (method !== 'p2p' || this.destroyed) return;
    let reason = null;
    try {
      const expected = await this.expectedHash(segment);
      const actual = await sha256Hex(segment.data);
      if (actual !== expected) reason = `sha256 ${actual} instead of ${expected}`;
    } catch (err) {
      reason = String(err && err.message ? err.message : err);
    }
    if (reason) {
      this.onRefused(segment, peerId, reason);
      throw new Error(`segment ${segment.id} from peer ${peerId} refused: ${reason}`);
    }
    this.onAccepted(segment, peerId);
  }

  destroy() {
    this.destroyed = true;
  }
}
