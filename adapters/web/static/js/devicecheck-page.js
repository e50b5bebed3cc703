// devicecheck-page.js – wires the device check page.
import { listDevices, openMedia, levelMeter, stopStream } from "./devicecheck.js";

const root = document.getElementById("devicecheck");
const video = document.getElementById("preview");
const meter = document.getElementById("level");
const camera = document.getElementById("camera");
const microphone = document.getElementById("microphone");
const status = document.getElementById("device-status");
const start = document.getElementById("start-check");
let stream = null;
let stopMeter = () => {};

const fill = (select, devices) => {
  const current = select.value;
  while (select.options.length > 1) select.remove(1);
  devices.forEach((d, i) => {
    const o = document.createElement("option");
    o.value = d.deviceId;
    o.textContent = d.label || `${select.labels[0]?.textContent || ""} ${i + 1}`;
    select.appendChild(o);
  });
  select.value = current;
};

const run = async () => {
  stopMeter();
  stopStream(stream);
  try {
    stream = await openMedia({ cameraId: camera.value, microphoneId: microphone.value });
  } catch (err) {
    status.textContent = err && err.message === "unsupported" ? root.dataset.msgUnsupported : root.dataset.msgDenied;
    return;
  }
  video.srcObject = stream;
  stopMeter = levelMeter(stream, (v) => { meter.value = v; meter.textContent = v.toFixed(2); });
  const { cameras, microphones } = await listDevices();
  fill(camera, cameras);
  fill(microphone, microphones);
  status.textContent = root.dataset.msgOk;
};

if (root) {
  start.addEventListener("click", run);
  camera.addEventListener("change", () => { if (stream) run(); });
  microphone.addEventListener("change", () => { if (stream) run(); });
  window.addEventListener("pagehide", () => { stopMeter(); stopStream(stream); });
}
