// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (CHROMIUM) driven by
// playwright-core, with the flags both test scripts need.

import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';

// playwright gives each launch a fresh temporary --user-data-dir
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required', '--mute-audio',
  // WebRTC between two contexts on this machine: real host candidates instead of mDNS names
  // (nothing resolves .local here), loopback allowed.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--allow-loopback-in-peer-connection',
];

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
