// p2p-media-loader's bundle carries Node-style streams (inside simple-peer) that call
// process.nextTick and read process.env / process.browser. esbuild substitutes this module for the
// free `process` identifier (build.mjs: inject); `global` is defined as globalThis there too.
// Nothing is installed on window.

const nextTick = (fn, ...args) => {
  queueMicrotask(() => fn(...args));
};

export const process = {
  browser: true,
  env: {},
  argv: [],
  version: '',
  versions: {},
  platform: 'browser',
  nextTick,
};
