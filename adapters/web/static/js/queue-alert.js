// queue-alert.js – an unmissable signal: a sound (WebAudio, no audio file),
// a badge in the document title, and a desktop notification when allowed.
// Browsers only allow sound and the permission prompt after a user gesture,
// so enable() is bound to a button.

export class Alerter {
  constructor() {
    this.ctx = null;
    this.baseTitle = document.title;
  }

  /** Must run inside a click handler. */
  async enable() {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (AC && !this.ctx) this.ctx = new AC();
    if (this.ctx && this.ctx.state === "suspended") await this.ctx.resume();
    if ("Notification" in window && Notification.permission === "default") {
      try { await Notification.requestPermission(); } catch { /* ignored */ }
    }
  }

  get enabled() {
    return this.ctx !== null;
  }

  /** Three rising tones, clearly audible, about one second. */
  ring() {
    if (!this.ctx) return false;
    const now = this.ctx.currentTime;
    [660, 880, 1100].forEach((freq, i) => {
      const osc = this.ctx.createOscillator();
      const gain = this.ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      const t = now + i * 0.3;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.4, t + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.28);
      osc.connect(gain).connect(this.ctx.destination);
      osc.start(t);
      osc.stop(t + 0.3);
    });
    return true;
  }

  /** Shows "(n) title"; n = 0 restores the title. */
  badge(n) {
    document.title = n > 0 ? `(${n}) ${this.baseTitle}` : this.baseTitle;
  }

  notify(title, body) {
    if (!("Notification" in window) || Notification.permission !== "granted") return false;
    if (document.visibilityState === "visible" && document.hasFocus()) return false;
    try {
      const n = new Notification(title, { body, tag: "buergerbuero" });
      n.onclick = () => { window.focus(); n.close(); };
      return true;
    } catch {
      return false;
    }
  }
}
