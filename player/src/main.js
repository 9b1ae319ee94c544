// Entry point of player.js: finds the configuration the server rendered into the page and mounts
// the player on its element. Without JavaScript the page's plain <video> plays on its own.

import './player.css';
import { CONFIG_ELEMENT_ID, DEFAULT_MOUNT_ID, readConfig } from './config.js';
import { FerrotubePlayer } from './player.js';

function boot() {
  let config;
  try {
    config = readConfig(document);
  } catch (err) {
    console.error(`ferrotube player: invalid #${CONFIG_ELEMENT_ID}`, err);
    return;
  }
  if (!config) return;

  const root = config.mount ? document.querySelector(config.mount) : document.getElementById(DEFAULT_MOUNT_ID);
  if (!root) {
    console.error('ferrotube player: no element to mount on');
    return;
  }
  const player = new FerrotubePlayer(root, config);
  window.ferrotubePlayer = player;
  player.start();
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', boot, { once: true });
} else {
  boot();
}
