// View reporting, with the same wire behaviour as PeerTube 6.3's web player, so ferrotube's views
// endpoint and PeerTube's count our viewers the same way:
//   POST {viewsUrl}  Content-Type: application/json; charset=UTF-8
//   body {"currentTime": <whole seconds>, "sessionId": "<32 chars [A-Za-z0-9]>"[, "viewEvent": "seek"]}
//   Authorization: Bearer <token> when the viewer is logged in.
// When: once at the first "play" (with the start time), then every intervalMs if the whole-second
// position changed, and once at "ended" (with the duration). A seek (a jump that is not 0..3 s
// forward) marks the next report with viewEvent "seek". The session id lives for the browser tab
// (sessionStorage), as PeerTube's does.

const SESSION_KEY = 'ferrotube-player-session-id';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomSessionId(length = 32) {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export function getSessionId() {
  try {
    let id = window.sessionStorage.getItem(SESSION_KEY);
    if (!id) {
      id = randomSessionId();
      window.sessionStorage.setItem(SESSION_KEY, id);
    }
    return id;
  } catch {
    // storage disabled: one id per page load
    if (!getSessionId.fallback) getSessionId.fallback = randomSessionId();
    return getSessionId.fallback;
  }
}

export class ViewReporter {
  constructor({ video, url, intervalMs, startTime = 0, accessToken = null, stats }) {
    this.video = video;
    this.url = url;
    this.intervalMs = intervalMs;
    this.startTime = Math.floor(startTime);
    this.accessToken = accessToken;
    this.stats = stats;
    this.lastTime = this.startTime;
    this.pendingEvent = undefined;
    this.ended = false;
    this.hasInitialSeek = this.startTime > 0;
    this.timer = null;

    this.onPlay = () => {
      this.video.removeEventListener('play', this.onPlay);
      this.notify(this.startTime, this.takeEvent());
    };
    this.onSeeked = () => {
      if (this.hasInitialSeek) {
        this.hasInitialSeek = false;
        return;
      }
      const now = Math.floor(this.video.currentTime);
      if (now === 0 && this.video.loop) {
        this.stop();
        return;
      }
      const delta = now - this.lastTime;
      if (!(delta > 0 && delta < 3)) this.pendingEvent = 'seek';
    };
    this.onEnded = () => {
      this.video.removeEventListener('ended', this.onEnded);
      this.ended = true;
      const end = Math.floor(this.video.duration);
      if (!Number.isFinite(end)) return;
      this.lastTime = end;
      this.notify(end, this.takeEvent());
    };
  }

  start() {
    if (!this.url) return;
    this.video.addEventListener('play', this.onPlay);
    this.video.addEventListener('seeked', this.onSeeked);
    this.video.addEventListener('ended', this.onEnded);
    this.timer = setInterval(() => {
      if (this.ended) return;
      const now = Math.floor(this.video.currentTime);
      if (now === this.lastTime) return;
      this.lastTime = now;
      this.notify(now, this.takeEvent());
    }, this.intervalMs);
  }

  // The player switched source (fallback, web-video resolution change): the position jump that
  // follows is not a viewer's seek.
  expectSeek() {
    this.hasInitialSeek = true;
  }

  takeEvent() {
    const event = this.pendingEvent;
    this.pendingEvent = undefined;
    return event;
  }

  notify(currentTime, viewEvent) {
    const body = { currentTime, sessionId: getSessionId() };
    if (viewEvent) body.viewEvent = viewEvent;
    const headers = { 'Content-Type': 'application/json; charset=UTF-8' };
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    const views = this.stats.views;
    views.sent++;
    views.lastBody = body;
    return fetch(this.url, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin', keepalive: true })
      .then((res) => {
        views.lastStatus = res.status;
        if (!res.ok) views.failed++;
      })
      .catch((err) => {
        views.failed++;
        views.lastStatus = 0;
        console.warn('ferrotube player: cannot report the view', err);
      });
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.video.removeEventListener('play', this.onPlay);
    this.video.removeEventListener('seeked', this.onSeeked);
    this.video.removeEventListener('ended', this.onEnded);
  }
}
