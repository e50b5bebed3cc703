// call.js – the WebRTC side of a visit, joined WHIP-style:
// getUserMedia → RTCPeerConnection → full ICE gathering (no trickle) → POST
// the offer SDP (application/sdp, Authorization: Bearer <admission token>)
// → apply the answer SDP.
//
// Data channels (both opened by us in the first offer, as adapters/media
// expects): on "chat" we send plain UTF-8 text and receive JSON
// {from, role, text}; on "signalling" the relay sends complete offers
// ({type:"offer", sdp, participants}) whenever the forwarded tracks change,
// and we answer on the same channel ({type:"answer", sdp}). The relay is the
// impolite side: an own pending offer is rolled back before answering.
// Screen sharing replaces the camera track (replaceTrack), so it needs no
// renegotiation; only without a video sender does it add a track and send a
// new offer to the resource URL the server returned (Location), by PATCH.

const ICE_TIMEOUT_MS = 5000;

function waitForIce(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState === "complete") {
        pc.removeEventListener("icegatheringstatechange", done);
        resolve();
      }
    };
    pc.addEventListener("icegatheringstatechange", done);
    window.setTimeout(resolve, ICE_TIMEOUT_MS); // send what we have
  });
}

export class Call {
  /**
   * @param {{whipURL: string, token: string, localVideo?: HTMLVideoElement,
   *   remoteVideo?: HTMLVideoElement, onStatus?: function(string): void,
   *   onChat?: function(string, string): void, onParticipants?: function(Object): void,
   *   iceServers?: RTCIceServer[],
   *   media?: MediaStream}} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.pc = null;
    this.stream = null;
    this.chat = null;
    this.signalling = null;
    this.resource = "";
    this.cameraTrack = null;
    this.screenTrack = null;
    this.muted = false;
    this.cameraOff = false;
  }

  status(s) {
    if (this.opts.onStatus) this.opts.onStatus(s);
  }

  async start() {
    this.status("connecting");
    this.stream = this.opts.media || (await navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
    if (this.opts.localVideo) this.opts.localVideo.srcObject = this.stream;
    const pc = new RTCPeerConnection({ iceServers: this.opts.iceServers || [] });
    this.pc = pc;
    for (const track of this.stream.getTracks()) {
      pc.addTransceiver(track, { direction: "sendrecv", streams: [this.stream] });
      if (track.kind === "video") this.cameraTrack = track;
    }
    const remote = new MediaStream();
    pc.ontrack = (ev) => {
      remote.addTrack(ev.track);
      if (this.opts.remoteVideo) this.opts.remoteVideo.srcObject = remote;
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "connected") this.status("connected");
      if (pc.connectionState === "failed") this.status("failed");
    };
    this.chat = pc.createDataChannel("chat");
    this.chat.onmessage = (ev) => this.receiveChat(ev.data);
    this.signalling = pc.createDataChannel("signalling");
    this.signalling.onmessage = (ev) => this.onSignal(ev.data);
    pc.ondatachannel = (ev) => {
      // The server may open the channels itself; accept either way.
      if (ev.channel.label === "chat") {
        this.chat = ev.channel;
        this.chat.onmessage = (m) => this.receiveChat(m.data);
      } else if (ev.channel.label === "signalling") {
        this.signalling = ev.channel;
        this.signalling.onmessage = (m) => this.onSignal(m.data);
      }
    };
    await this.negotiate();
  }

  /** WHIP: POST the complete offer, apply the answer. */
  async negotiate() {
    const pc = this.pc;
    await pc.setLocalDescription(await pc.createOffer());
    await waitForIce(pc);
    const res = await fetch(this.resource || this.opts.whipURL, {
      method: this.resource ? "PATCH" : "POST",
      headers: { "Content-Type": "application/sdp", Authorization: `Bearer ${this.opts.token}` },
      body: pc.localDescription.sdp,
      credentials: "same-origin",
    });
    if (!res.ok) {
      this.status("failed");
      throw new Error(`WHIP ${res.status}`);
    }
    const loc = res.headers.get("Location");
    if (loc && !this.resource) {
      this.resource = new URL(loc, new URL(this.opts.whipURL, window.location.href)).toString();
    }
    await pc.setRemoteDescription({ type: "answer", sdp: await res.text() });
  }

  /** A server-initiated offer arrived on the "signalling" channel. */
  async onSignal(raw) {
    let msg;
    try { msg = JSON.parse(raw); } catch { return; }
    if (!msg || msg.type !== "offer" || typeof msg.sdp !== "string") return;
    const pc = this.pc;
    if (pc.signalingState === "have-local-offer") {
      await pc.setLocalDescription({ type: "rollback" });
    }
    if (msg.participants && this.opts.onParticipants) this.opts.onParticipants(msg.participants);
    await pc.setRemoteDescription({ type: "offer", sdp: msg.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await waitForIce(pc);
    this.signalling.send(JSON.stringify({ type: "answer", sdp: pc.localDescription.sdp }));
  }

  receiveChat(raw) {
    let text = raw;
    let role = "";
    try {
      const m = JSON.parse(raw);
      if (m && typeof m.text === "string") { text = m.text; role = String(m.role || ""); }
    } catch { /* plain text */ }
    if (this.opts.onChat) this.opts.onChat(String(text), role);
  }

  sendChat(text) {
    if (!this.chat || this.chat.readyState !== "open") return false;
    this.chat.send(text);
    return true;
  }

  toggleMute() {
    this.muted = !this.muted;
    this.stream.getAudioTracks().forEach((t) => { t.enabled = !this.muted; });
    this.status(this.muted ? "muted" : "unmuted");
    return this.muted;
  }

  toggleCamera() {
    this.cameraOff = !this.cameraOff;
    if (this.cameraTrack) this.cameraTrack.enabled = !this.cameraOff;
    this.status(this.cameraOff ? "camera-off" : "camera-on");
    return this.cameraOff;
  }

  /** Starts or stops screen sharing; returns true while sharing. */
  async toggleShare() {
    const sender = this.pc.getSenders().find((s) => s.track && s.track.kind === "video");
    if (this.screenTrack) {
      this.screenTrack.stop();
      this.screenTrack = null;
      if (sender) await sender.replaceTrack(this.cameraTrack);
      this.status("sharing-stopped");
      return false;
    }
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const track = display.getVideoTracks()[0];
    this.screenTrack = track;
    track.addEventListener("ended", () => { if (this.screenTrack === track) this.toggleShare(); });
    if (sender) {
      await sender.replaceTrack(track);
    } else {
      this.pc.addTrack(track, display);
      await this.negotiate();
    }
    this.status("sharing");
    return true;
  }

  async leave() {
    if (this.resource) {
      try {
        await fetch(this.resource, { method: "DELETE", headers: { Authorization: `Bearer ${this.opts.token}` } });
      } catch { /* the relay times the session out anyway */ }
    }
    if (this.screenTrack) this.screenTrack.stop();
    if (this.stream && !this.opts.media) this.stream.getTracks().forEach((t) => t.stop());
    if (this.pc) this.pc.close();
    this.status("ended");
  }
}
