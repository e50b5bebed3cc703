// call-page.js – wires the call page (citizen and clerk) to call.js.
import { Call } from "./call.js";

const root = document.getElementById("call");
if (root) {
  const $ = (id) => document.getElementById(id);
  const statusEl = $("call-status");
  const log = $("chat-log");
  const msg = (name) => root.dataset["msg" + name.split("-").map((p) => p[0].toUpperCase() + p.slice(1)).join("")] || name;
  const say = (s) => { statusEl.textContent = msg(s); };
  const addChat = (who, text) => {
    const li = document.createElement("li");
    const b = document.createElement("strong");
    b.textContent = `${who}: `;
    li.append(b, document.createTextNode(text));
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  };
  const call = new Call({
    whipURL: root.dataset.whip,
    token: root.dataset.token,
    localVideo: $("local-video"),
    remoteVideo: $("remote-video"),
    onStatus: say,
    onChat: (text) => { addChat(root.dataset.msgPeer, text); },
  });
  const controls = ["call-mute", "call-camera", "call-share", "chat-text", "chat-send"].map($);
  $("call-start").addEventListener("click", async () => {
    $("call-start").disabled = true;
    try {
      await call.start();
      controls.forEach((c) => { c.disabled = false; });
    } catch {
      say("failed");
      $("call-start").disabled = false;
    }
  });
  const toggle = (id, fn) => $(id).addEventListener("click", async () => {
    try { $(id).setAttribute("aria-pressed", String(await fn())); } catch { /* user cancelled */ }
  });
  toggle("call-mute", () => call.toggleMute());
  toggle("call-camera", () => call.toggleCamera());
  toggle("call-share", () => call.toggleShare());
  $("chat-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = $("chat-text");
    const text = input.value.trim();
    if (text && call.sendChat(text)) {
      addChat(root.dataset.msgMe, text);
      input.value = "";
    }
  });
  $("call-leave").addEventListener("click", async () => {
    await call.leave();
    window.location.assign(root.dataset.leave || "/");
  });
}
