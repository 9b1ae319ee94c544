// ferrotube's player: enhances the page's plain <video> with HLS (hls.js) and peer-to-peer segment
// sharing (PeerTube's p2p-media-loader fork), in the same swarms as PeerTube 6.3's web player.
//
// Order of preference, as PeerTube's player:
//   1. hls.js on Media Source Extensions, with P2P when WebRTC, a tracker and the segments-sha256
//      JSON are available ('hls-p2p'), else plain hls.js ('hls');
//   2. the browser's own HLS (Safari, iOS) on the master playlist ('hls-native');
//   3. the web-video files, one progressive MP4/WebM per resolution ('web-video').
// A fatal hls.js error falls back to 3 (or 2), keeping the position.

import Hls from 'hls.js';
import { Engine, initHlsJsPlayer } from '@peertube/p2p-media-loader-hlsjs';
import { Events as P2PEvents } from '@peertube/p2p-media-loader-core';

import { SegmentValidator } from './segment-validator.js';
import { ViewReporter } from './views.js';
import { createStats, describeStats } from './stats.js';

const HLS_MIME = 'application/vnd.apple.mpegurl';
const MAX_REFUSED_KEPT = 20;
const MAX_ERRORS_KEPT = 20;

function sameOrigin(url) {
  try {
    return new URL(url, window.location.href).origin === window.location.origin;
  } catch {
    return false;
  }
}

function withQuery(url, params) {
  const u = new URL(url, window.location.href);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function resolutionLabel(resolution) {
  return resolution ? `${resolution}p` : 'Audio only';
}

// PeerTube labels a rendition by its smaller side, so portrait videos read "720p" too.
function levelResolution(level) {
  const sides = [level.height, level.width].filter((v) => v > 0);
  return sides.length ? Math.min(...sides) : 0;
}

export class FerrotubePlayer {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.stats = createStats();
    this.hls = null;
    this.engine = null;
    this.validator = null;
    this.views = null;
    this.statsTimer = null;
    this.webVideoFile = null;
    this.mediaRecoveries = 0;
    this.peerIds = new Set();
    this.loadStarted = false;

    this.video = root.querySelector('video');
    if (!this.video) {
      this.video = document.createElement('video');
      this.video.controls = true;
      root.appendChild(this.video);
    }
    window.ferrotubePlayerStats = this.stats;
  }

  start() {
    const { config, video } = this;
    this.root.classList.add('ferrotube-player', 'ferrotube-player--enhanced');
    this.buildUi();

    if (config.muted) video.muted = true;
    video.playsInline = true;
    video.setAttribute('playsinline', '');

    if (config.views) {
      this.views = new ViewReporter({
        video,
        url: config.views.url,
        intervalMs: config.views.intervalMs,
        startTime: config.startTime,
        accessToken: config.viewer.accessToken,
        stats: this.stats,
      });
      this.views.start();
    }

    const nativeHls = !!video.canPlayType && video.canPlayType(HLS_MIME) !== '';
    if (config.hls && Hls.isSupported()) {
      this.startHls();
    } else if (config.hls && nativeHls) {
      this.startNativeHls({ time: config.startTime, play: config.autoplay });
    } else if (config.webVideoFiles.length > 0) {
      this.startWebVideo({ time: config.startTime, play: config.autoplay });
    } else {
      // Nothing we can improve on: leave the server's <video> as it is.
      this.stats.mode = 'none';
    }

    this.renderStats();
    this.statsTimer = setInterval(() => this.renderStats(), 1000);
  }

  // ----- user interface ---------------------------------------------------------------------

  buildUi() {
    this.bar = el('div', 'ferrotube-player__bar');
    const qualityLabel = el('label', 'ferrotube-player__quality');
    qualityLabel.appendChild(el('span', 'ferrotube-player__quality-name', 'Quality'));
    this.qualitySelect = el('select');
    this.qualitySelect.addEventListener('change', () => this.onQualityChange(this.qualitySelect.value));
    qualityLabel.appendChild(this.qualitySelect);
    qualityLabel.hidden = true;
    this.qualityLabel = qualityLabel;

    this.statsLabel = el('span', 'ferrotube-player__stats');
    this.statsLabel.setAttribute('aria-live', 'off');
    this.errorBox = el('div', 'ferrotube-player__error');
    this.errorBox.setAttribute('role', 'alert');
    this.errorBox.hidden = true;

    this.bar.append(qualityLabel, this.statsLabel);
    this.video.insertAdjacentElement('afterend', this.bar);
    this.bar.insertAdjacentElement('afterend', this.errorBox);
  }

  // options: [{value, label}]; selected: value
  setQualityOptions(options, selected) {
    this.qualitySelect.replaceChildren(...options.map(({ value, label }) => {
      const option = el('option', null, label);
      option.value = String(value);
      return option;
    }));
    this.qualitySelect.value = String(selected);
    this.qualityLabel.hidden = options.length < 2;
  }

  renderStats() {
    this.statsLabel.textContent = describeStats(this.stats);
    this.root.dataset.mode = this.stats.mode;
  }

  showError(message) {
    this.errorBox.textContent = message;
    this.errorBox.hidden = false;
  }

  recordError(message) {
    this.stats.errors.push(message);
    if (this.stats.errors.length > MAX_ERRORS_KEPT) this.stats.errors.shift();
  }

  onQualityChange(value) {
    if (this.hls) {
      const level = value === 'auto' ? -1 : Number(value);
      this.stats.autoResolution = level === -1;
      // currentLevel switches at once (flushing the buffer), as PeerTube's resolution menu does
      this.hls.currentLevel = level;
      this.updateAutoLabel();
    } else if (this.stats.mode === 'web-video') {
      const file = this.config.webVideoFiles.find((f) => String(f.resolution) === value);
      if (file && file !== this.webVideoFile) {
        this.setWebVideoFile(file, { time: this.video.currentTime, play: !this.video.paused });
      }
    }
  }

  // ----- playback start ---------------------------------------------------------------------

  // Stops the page's own <video> source (the no-JavaScript fallback) before we attach ours.
  clearNativeSource() {
    const { video } = this;
    video.pause();
    for (const source of video.querySelectorAll('source')) source.remove();
    video.removeAttribute('src');
    video.load();
  }

  autoplay() {
    const { video } = this;
    const played = video.play();
    if (played && played.catch) {
      played.catch(() => {
        // Browsers refuse autoplay with sound without a user gesture; retry muted as PeerTube does.
        if (video.muted) return;
        video.muted = true;
        video.play().catch(() => {});
      });
    }
  }

  authorizationHeader() {
    const token = this.config.viewer.accessToken;
    return this.config.requiresAuth && token ? `Bearer ${token}` : null;
  }

  startHls() {
    const { config, video, stats } = this;
    const { hls: hlsConfig, p2p } = config;
    const auth = this.authorizationHeader();
    const xhrSetup = (xhr, url) => {
      if (auth && sameOrigin(url)) xhr.setRequestHeader('Authorization', auth);
    };

    const p2pPossible = p2p.enabled
      && !!hlsConfig.segmentsSha256Url
      && p2p.trackerUrls.length > 0
      && Engine.isSupported();

    const hlsOptions = {
      capLevelToPlayerSize: true,
      autoStartLoad: false,
      liveSyncDurationCount: 5,
    };

    if (p2pPossible) {
      this.engine = this.createP2PEngine(xhrSetup);
      hlsOptions.loader = this.engine.createLoaderClass();
      stats.mode = 'hls-p2p';
      stats.p2pEnabled = true;
    } else {
      hlsOptions.xhrSetup = xhrSetup;
      stats.mode = 'hls';
    }

    this.clearNativeSource();
    const hls = new Hls(hlsOptions);
    this.hls = hls;

    hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => this.onManifestParsed(data));
    hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
      const level = hls.levels[data.level];
      stats.resolution = level ? levelResolution(level) : null;
      this.updateAutoLabel();
    });
    hls.on(Hls.Events.FRAG_LOADED, (_event, data) => {
      // With P2P the engine counts bytes by origin; without it every fragment came over HTTP.
      if (!this.engine && data.frag && data.frag.stats) stats.httpDownloaded += data.frag.stats.loaded || 0;
    });
    hls.on(Hls.Events.ERROR, (_event, data) => this.onHlsError(data));

    hls.attachMedia(video);
    hls.loadSource(hlsConfig.playlistUrl);
    if (this.engine) {
      // The library's own glue: aborts pending P2P requests on seek and tells the engine which
      // segment is playing (its priorities are counted from there).
      initHlsJsPlayer({
        on: (name, fn) => video.addEventListener(name, fn),
        off: (name, fn) => video.removeEventListener(name, fn),
        media: video,
      }, hls);
    }

    // Like PeerTube, segments are only fetched once the viewer presses play (or autoplay).
    const startTime = config.startTime > 0 ? config.startTime : -1;
    const startLoad = () => {
      video.removeEventListener('play', startLoad);
      if (this.hls !== hls || this.loadStarted) return;
      this.loadStarted = true;
      hls.startLoad(startTime);
    };
    video.addEventListener('play', startLoad);
    if (config.autoplay) this.autoplay();
  }

  createP2PEngine(xhrSetup) {
    const { config, stats } = this;
    const connection = navigator.connection;
    // Never upload on a metered mobile connection (PeerTube's rule as well).
    const consumeOnly = !!(connection && connection.type === 'cellular');

    this.validator = new SegmentValidator({
      url: config.hls.segmentsSha256Url,
      fetchHeaders: this.authorizationHeader() && sameOrigin(config.hls.segmentsSha256Url)
        ? { Authorization: this.authorizationHeader() } : {},
      onRefused: (segment, peerId, reason) => {
        stats.refusedSegments++;
        stats.refusedBytes += segment.data ? segment.data.byteLength : 0;
        stats.refused.push({ id: segment.id, url: segment.url, range: segment.range, peerId, reason });
        if (stats.refused.length > MAX_REFUSED_KEPT) stats.refused.shift();
        console.warn(`ferrotube player: refused segment ${segment.id} from a peer: ${reason}`);
      },
    });
    this.validator.load();

    // The settings of PeerTube 6.3's VOD player, so both behave the same in a swarm.
    const engine = new Engine({
      loader: {
        trackerAnnounce: config.p2p.trackerUrls,
        rtcConfig: { iceServers: config.p2p.stunServers },
        simultaneousHttpDownloads: 1,
        httpFailedSegmentTimeout: 1000,
        xhrSetup,
        segmentValidator: this.validator.validate.bind(this.validator),
        useP2P: true,
        consumeOnly,
        requiredSegmentsPriority: 3,
        skipSegmentBuilderPriority: 1,
        cachedSegmentExpiration: 86400000,
        cachedSegmentsCount: 100,
        httpDownloadMaxPriority: 9,
        httpDownloadProbability: 0.06,
        httpDownloadProbabilitySkipIfNoPeers: true,
        p2pDownloadMaxPriority: 50,
      },
      segments: {
        // The swarm is named after the master playlist URL: PeerTube's players and trackers derive
        // each rendition's info hash as sha1("2" + masterPlaylistUrl + "+V" + index).
        swarmId: config.hls.playlistUrl,
        forwardSegmentCount: 50,
      },
    });

    engine.on(P2PEvents.PieceBytesDownloaded, (method, _segment, bytes) => {
      if (method === 'p2p') stats.p2pDownloaded += bytes;
      else stats.httpDownloaded += bytes;
    });
    engine.on(P2PEvents.PieceBytesUploaded, (_method, _segment, bytes) => {
      stats.p2pUploaded += bytes;
    });
    engine.on(P2PEvents.PeerConnect, (peer) => {
      this.peerIds.add(peer.id);
      stats.peers = this.peerIds.size;
      stats.peersEver++;
    });
    engine.on(P2PEvents.PeerClose, (peerId) => {
      this.peerIds.delete(peerId);
      stats.peers = this.peerIds.size;
    });
    engine.on(P2PEvents.SegmentLoaded, (_segment, peerId) => {
      if (peerId) stats.segmentsFromPeers++;
      else stats.segmentsFromHttp++;
    });
    engine.on(P2PEvents.SegmentError, (segment, error, peerId) => {
      this.recordError(`segment ${segment.id}${peerId ? ` from peer ${peerId}` : ''}: ${error}`);
    });
    return engine;
  }

  onManifestParsed(data) {
    const levels = (data.levels || []).map((level, index) => ({ index, resolution: levelResolution(level) }));
    this.stats.resolutions = levels.map((l) => l.resolution).sort((a, b) => b - a);
    const options = [{ value: 'auto', label: 'Auto' }]
      .concat(levels.slice().sort((a, b) => b.resolution - a.resolution)
        .map((l) => ({ value: l.index, label: resolutionLabel(l.resolution) })));
    this.setQualityOptions(options, 'auto');
  }

  updateAutoLabel() {
    const auto = this.qualitySelect.querySelector('option[value="auto"]');
    if (!auto || !this.hls) return;
    this.stats.autoResolution = this.hls.autoLevelEnabled;
    auto.textContent = this.hls.autoLevelEnabled && this.stats.resolution !== null
      ? `Auto (${resolutionLabel(this.stats.resolution)})` : 'Auto';
  }

  onHlsError(data) {
    if (!data.fatal) return;
    this.recordError(`hls.js ${data.type}/${data.details}`);
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && this.mediaRecoveries < 2) {
      this.mediaRecoveries++;
      this.hls.recoverMediaError();
      return;
    }
    // hls.js has already retried network errors (its own retry policy) before calling them fatal.
    this.fallbackFromHls(`${data.type}/${data.details}`);
  }

  destroyHls() {
    if (this.hls) {
      this.hls.destroy(); // also destroys the P2P engine (hlsDestroying)
      this.hls = null;
    }
    this.engine = null;
    if (this.validator) this.validator.destroy();
    this.validator = null;
    this.peerIds.clear();
    this.stats.peers = 0;
    this.stats.p2pEnabled = false;
  }

  fallbackFromHls(reason) {
    const { video, config } = this;
    const time = video.currentTime || config.startTime;
    const play = !video.paused || config.autoplay;
    const from = this.stats.mode;
    this.destroyHls();
    if (this.views) this.views.expectSeek();

    if (config.webVideoFiles.length > 0) {
      this.stats.fallbacks.push(`${from} -> web-video: ${reason}`);
      this.startWebVideo({ time, play });
    } else if (video.canPlayType(HLS_MIME) !== '' && from !== 'hls-native') {
      this.stats.fallbacks.push(`${from} -> hls-native: ${reason}`);
      this.startNativeHls({ time, play });
    } else {
      this.stats.mode = 'none';
      this.showError('This video cannot be played in this browser.');
    }
    this.renderStats();
  }

  startNativeHls({ time, play }) {
    const { config } = this;
    this.stats.mode = 'hls-native';
    this.qualityLabel.hidden = true; // the browser picks the rendition itself
    let url = config.hls.playlistUrl;
    if (config.videoFileToken) {
      url = withQuery(url, { videoFileToken: config.videoFileToken, reinjectVideoFileToken: 'true' });
    }
    this.clearNativeSource();
    this.setSource(url, { time, play });
  }

  // ----- web video --------------------------------------------------------------------------

  pickWebVideoFile() {
    const files = this.config.webVideoFiles; // sorted, highest resolution first
    const height = Math.ceil((this.video.clientHeight || 360) * (window.devicePixelRatio || 1));
    const target = Math.max(360, height);
    return files.find((f) => f.resolution <= target) || files[files.length - 1];
  }

  startWebVideo({ time, play }) {
    const files = this.config.webVideoFiles;
    this.stats.mode = 'web-video';
    this.setQualityOptions(
      files.map((f) => ({ value: f.resolution, label: resolutionLabel(f.resolution) })),
      this.pickWebVideoFile().resolution,
    );
    this.stats.resolutions = files.map((f) => f.resolution);
    this.stats.autoResolution = false;
    this.setWebVideoFile(this.pickWebVideoFile(), { time, play, initial: true });
  }

  setWebVideoFile(file, { time, play, initial = false }) {
    const { config, video } = this;
    this.webVideoFile = file;
    this.stats.resolution = file.resolution;
    this.qualitySelect.value = String(file.resolution);
    const url = config.videoFileToken ? withQuery(file.url, { videoFileToken: config.videoFileToken }) : file.url;

    // The server's <video> may already be loading this very file: keep it rather than restart.
    if (initial && video.currentSrc === url) {
      if (time > 0) this.seekWhenReady(time);
      if (play) this.autoplay();
      return;
    }
    if (this.views && video.currentSrc) this.views.expectSeek();
    this.clearNativeSource();
    this.setSource(url, { time, play });
  }

  setSource(url, { time, play }) {
    const { video } = this;
    video.src = url;
    if (time > 0) this.seekWhenReady(time);
    if (play) this.autoplay();
  }

  seekWhenReady(time) {
    const { video } = this;
    const seek = () => {
      try {
        video.currentTime = time;
      } catch { /* not seekable yet */ }
    };
    if (video.readyState >= 1) seek();
    else video.addEventListener('loadedmetadata', seek, { once: true });
  }

  destroy() {
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.views) this.views.stop();
    this.destroyHls();
  }
}
