// A stand-in for WebRTC in Node: peer connections that produce and accept SDP text at once
// and never connect. Enough for bittorrent-tracker's client to make offers and answers, which
// is all a tracker sees. Every remote description set is recorded for the test to check.
export const remoteDescriptions = []
globalThis.__remoteDescriptions = remoteDescriptions

let next = 0

export class RTCSessionDescription {
  constructor ({ type, sdp }) {
    this.type = type
    this.sdp = sdp
  }
}

export class RTCIceCandidate {
  constructor (init) {
    Object.assign(this, init)
  }
}

export class RTCPeerConnection {
  constructor () {
    this.id = ++next
    this.localDescription = null
    this.remoteDescription = null
    this.signalingState = 'stable'
    this.iceConnectionState = 'new'
    this.iceGatheringState = 'new'
    this.connectionState = 'new'
  }

  createDataChannel (label) {
    return { label, readyState: 'connecting', bufferedAmount: 0, bufferedAmountLowThreshold: 0, close () {}, send () {} }
  }

  async createOffer () {
    return { type: 'offer', sdp: `v=0\r\no=stand-in ${this.id} 1 IN IP4 127.0.0.1\r\ns=offer é "${this.id}"\r\n` }
  }

  async createAnswer () {
    return { type: 'answer', sdp: `v=0\r\no=stand-in ${this.id} 1 IN IP4 127.0.0.1\r\ns=answer\r\n` }
  }

  async setLocalDescription (description) {
    this.localDescription = new RTCSessionDescription(description)
    this.iceGatheringState = 'complete'
    // Gathering is over at once: the end-of-candidates event lets a non-trickle peer signal.
    setTimeout(() => this.onicecandidate?.({ candidate: null }), 0)
  }

  async setRemoteDescription (description) {
    this.remoteDescription = new RTCSessionDescription(description)
    remoteDescriptions.push({ connection: this.id, type: description.type, sdp: description.sdp })
  }

  async addIceCandidate () {}
  async getStats () { return [] }
  close () { this.connectionState = 'closed' }
}

export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate }
