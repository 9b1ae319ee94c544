// The player's configuration: a JSON blob the server renders into the page, normalised here so the
// rest of the code can trust its shape. See DEVELOPERS.md ("Player") for the documented fields.

export const CONFIG_ELEMENT_ID = 'ferrotube-player-config';
export const DEFAULT_MOUNT_ID = 'ferrotube-player';

const DEFAULT_VIEW_INTERVAL_MS = 5000;

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value) {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function num(value, fallback = null) {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

// A resolution is written either as a number (720) or as PeerTube's REST object ({id: 720, label}).
function resolutionOf(value) {
  if (isObject(value)) return num(value.id, 0);
  return num(value, 0);
}

function normaliseFile(file) {
  if (!isObject(file)) return null;
  const url = str(file.fileUrl) || str(file.url);
  if (!url) return null;
  return {
    resolution: resolutionOf(file.resolution),
    width: num(file.width),
    height: num(file.height),
    fps: num(file.fps),
    size: num(file.size),
    url,
  };
}

function normaliseIceServer(entry) {
  if (typeof entry === 'string' && entry.length > 0) return { urls: entry };
  if (isObject(entry) && (typeof entry.urls === 'string' || Array.isArray(entry.urls))) {
    const server = { urls: entry.urls };
    if (typeof entry.username === 'string') server.username = entry.username;
    if (typeof entry.credential === 'string') server.credential = entry.credential;
    return server;
  }
  return null;
}

// "1m30s", "90", 90 -> 90 (seconds). PeerTube accepts the same forms in its ?start= parameter.
export function parseTime(value) {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : 0;
  if (typeof value !== 'string' || value.trim() === '') return 0;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match) return 0;
  const [, h, m, s] = match;
  return (Number(h || 0) * 3600) + (Number(m || 0) * 60) + Number(s || 0);
}

export function normaliseConfig(raw) {
  if (!isObject(raw)) throw new Error('player config must be a JSON object');

  const video = isObject(raw.video) ? raw.video : {};
  const hlsRaw = isObject(raw.hls) ? raw.hls : null;
  const p2pRaw = isObject(raw.p2p) ? raw.p2p : {};
  const viewsRaw = isObject(raw.views) ? raw.views : null;
  const viewer = isObject(raw.viewer) ? raw.viewer : {};

  const hls = hlsRaw && str(hlsRaw.playlistUrl)
    ? {
      playlistUrl: str(hlsRaw.playlistUrl),
      segmentsSha256Url: str(hlsRaw.segmentsSha256Url),
      files: (Array.isArray(hlsRaw.files) ? hlsRaw.files : []).map(normaliseFile).filter(Boolean),
    }
    : null;

  const webVideoFiles = (Array.isArray(raw.webVideoFiles) ? raw.webVideoFiles : [])
    .map(normaliseFile)
    .filter(Boolean)
    .sort((a, b) => b.resolution - a.resolution);

  const trackerUrls = (Array.isArray(p2pRaw.trackerUrls) ? p2pRaw.trackerUrls : [])
    .filter((u) => typeof u === 'string' && /^wss?:\/\//.test(u));

  const stunServers = (Array.isArray(p2pRaw.stunServers) ? p2pRaw.stunServers : [])
    .map(normaliseIceServer)
    .filter(Boolean);

  return {
    mount: str(raw.mount),
    video: {
      id: num(video.id) ?? str(video.id),
      uuid: str(video.uuid),
      name: str(video.name),
      duration: num(video.duration, 0),
    },
    hls,
    webVideoFiles,
    p2p: {
      enabled: p2pRaw.enabled !== false,
      trackerUrls,
      stunServers,
    },
    views: viewsRaw && str(viewsRaw.url)
      ? { url: str(viewsRaw.url), intervalMs: Math.max(1000, num(viewsRaw.intervalMs, DEFAULT_VIEW_INTERVAL_MS)) }
      : null,
    viewer: {
      loggedIn: viewer.loggedIn === true,
      accessToken: str(viewer.accessToken),
    },
    requiresAuth: raw.requiresAuth === true,
    videoFileToken: str(raw.videoFileToken),
    startTime: parseTime(raw.startTime),
    autoplay: raw.autoplay === true,
    muted: raw.muted === true,
  };
}

export function readConfig(doc = document) {
  const el = doc.getElementById(CONFIG_ELEMENT_ID);
  if (!el) return null;
  return normaliseConfig(JSON.parse(el.textContent || 'null'));
}
