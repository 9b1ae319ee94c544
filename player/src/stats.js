// Playback and peer-to-peer statistics: shown in a small label under the video and exposed as
// window.ferrotubePlayerStats (a plain object, so tests can read it with one evaluate call).

export function createStats() {
  return {
    mode: 'none', // 'hls-p2p' | 'hls' | 'hls-native' | 'web-video' | 'none'
    p2pEnabled: false,
    peers: 0,
    peersEver: 0,
    p2pDownloaded: 0,
    p2pUploaded: 0,
    httpDownloaded: 0,
    segmentsFromPeers: 0,
    segmentsFromHttp: 0,
    refusedSegments: 0,
    refusedBytes: 0, // counted in p2pDownloaded too: received, then thrown away
    refused: [], // the last few refused segments: {id, url, range, peerId, reason}
    resolution: null, // current height (or web-video resolution)
    autoResolution: true,
    resolutions: [],
    fallbacks: [], // e.g. 'hls -> web-video: <reason>'
    errors: [],
    views: { sent: 0, failed: 0, lastStatus: null, lastBody: null },
  };
}

export function formatBytes(bytes) {
  if (!bytes) return '0 B';
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function describeStats(stats) {
  switch (stats.mode) {
    case 'hls-p2p':
      return `P2P: ${stats.peers} ${stats.peers === 1 ? 'peer' : 'peers'}`
        + ` · ↓ ${formatBytes(stats.p2pDownloaded)} from peers`
        + ` · ↓ ${formatBytes(stats.httpDownloaded)} HTTP`
        + ` · ↑ ${formatBytes(stats.p2pUploaded)}`;
    case 'hls':
      return `HLS · ↓ ${formatBytes(stats.httpDownloaded)} HTTP · P2P off`;
    case 'hls-native':
      return 'HLS (native) · P2P off';
    case 'web-video':
      return 'Web video · P2P off';
    default:
      return '';
  }
}
