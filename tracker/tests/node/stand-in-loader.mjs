// Resolves `webrtc-polyfill` (simple-peer's WebRTC, a native module) to the stand-in.
export async function resolve (specifier, context, next) {
  if (specifier === 'webrtc-polyfill') {
    return { url: new URL('./stand-in-webrtc.mjs', import.meta.url).href, shortCircuit: true }
  }
  return next(specifier, context)
}
