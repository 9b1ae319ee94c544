// bittorrent-tracker's own client (the library WebTorrent uses) against ferrotube's tracker:
// WebSocket announces with offers and answers (through the stand-in WebRTC), HTTP announces,
// scrapes, stop, and the refusal of an unknown infohash. Prints the checks; exits 1 on failure.
// Usage: node --import ./register.mjs e2e.mjs BASE_URL WS_HASH HTTP_HASH UNKNOWN_HASH
import Client from 'bittorrent-tracker'
import { randomBytes } from 'node:crypto'
import { remoteDescriptions } from 'webrtc-polyfill'

const [base, wsHash, httpHash, unknownHash] = process.argv.slice(2)
const wsUrl = base.replace(/^http/, 'ws') + '/tracker/socket'
const httpUrl = base + '/tracker/announce'
const failures = []
const clients = []

function check (name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ' ' + JSON.stringify(detail)}`)
  if (!ok) failures.push(name)
}

function client (infoHash, announce, port = 6881) {
  const c = new Client({ infoHash, peerId: randomBytes(20).toString('hex'), announce: [announce], port })
  c.warnings = []
  c.peers = []
  c.on('warning', e => c.warnings.push(e.message))
  c.on('error', e => c.warnings.push('error: ' + e.message))
  c.on('peer', p => c.peers.push(p))
  clients.push(c)
  return c
}

function next (emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms)
    emitter.once(event, v => { clearTimeout(timer); resolve(v) })
  })
}

async function until (predicate, ms = 5000) {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) return false
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return true
}

try {
  // WebSocket: a leecher, then a seeder whose offer reaches the leecher, whose answer returns.
  const a = client(wsHash, wsUrl)
  a.start({ left: 1000 })
  const ua = await next(a, 'update')
  check('ws leecher counted', ua.complete === 0 && ua.incomplete === 1, ua)
  check('ws interval is 120 s', ua.interval === 120, ua)

  const b = client(wsHash, wsUrl)
  b.start({ left: 0 })
  const ub = await next(b, 'update')
  check('ws seeder sees both', ub.complete === 1 && ub.incomplete === 1, ub)
  check('offer relayed to the leecher', await until(() => a.peers.length > 0), a.peers.length)
  check('answer relayed to the seeder', await until(() => b.peers.length > 0), b.peers.length)
  check('offer and answer SDP arrived intact',
    remoteDescriptions.some(d => d.type === 'offer' && d.sdp.includes('s=offer é "')) &&
    remoteDescriptions.some(d => d.type === 'answer' && d.sdp.includes('s=answer')),
    remoteDescriptions)

  a.scrape()
  const sa = await next(a, 'scrape')
  check('ws scrape', sa.complete === 1 && sa.incomplete === 1 && sa.infoHash === wsHash, sa)

  b.stop()
  await new Promise(resolve => setTimeout(resolve, 300))
  a.scrape()
  const sb = await next(a, 'scrape')
  check('stopped seeder left', sb.complete === 0 && sb.incomplete === 1, sb)

  // HTTP: two clients see each other's address.
  const c = client(httpHash, httpUrl, 7001)
  c.start({ left: 10 })
  const uc = await next(c, 'update')
  check('http leecher counted', uc.complete === 0 && uc.incomplete === 1, uc)
  const d = client(httpHash, httpUrl, 7002)
  d.start({ left: 0 })
  const ud = await next(d, 'update')
  check('http seeder sees both', ud.complete === 1 && ud.incomplete === 1, ud)
  check('http peer list has the leecher', await until(() => d.peers.includes('127.0.0.1:7001')), d.peers)
  c.scrape()
  const sc = await next(c, 'scrape')
  check('http scrape', sc.complete === 1 && sc.incomplete === 1, sc)

  // Unknown infohash: refused over HTTP, then over WebSocket (which blocks this IP).
  const h = client(unknownHash, httpUrl, 7003)
  h.start({ left: 1 })
  check('http unknown infohash refused',
    await until(() => h.warnings.some(w => w.includes(`Unknown infoHash ${unknownHash}`))), h.warnings)
  const w = client(unknownHash, wsUrl)
  w.start({ left: 1 })
  check('ws unknown infohash refused',
    await until(() => w.warnings.some(m => m.includes(`Unknown infoHash ${unknownHash}`))), w.warnings)
} catch (e) {
  check('no timeout', false, e.message)
}

for (const c of clients) c.destroy()
console.log(failures.length === 0 ? 'all checks passed' : `${failures.length} failed`)
process.exit(failures.length === 0 ? 0 : 1)
