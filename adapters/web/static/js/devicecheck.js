// devicecheck.js – camera preview, microphone level meter, device choice.

/** Lists cameras and microphones (labels appear once access was granted). */
export async function listDevices() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return { cameras: [], microphones: [] };
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === "videoinput"),
    microphones: all.filter((d) => d.kind === "audioinput"),
  };
}

/** Opens camera and microphone, optionally the chosen devices. */
export async function openMedia({ cameraId = "", microphoneId = "" } = {}) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new Error("unsupported");
  return navigator.mediaDevices.getUserMedia({
    video: cameraId ? { deviceId: { exact: cameraId } } : true,
    audio: microphoneId ? { deviceId: { exact: microphoneId } } : true,
  });
}

/**
 * Measures the microphone level (0..1, RMS) of a stream and calls onLevel
 * about 10 times a second. Returns a stop function.
 */
export function levelMeter(stream, onLevel) {
  const AC = window.AudioContext || window.webkitAudioContext;
  if (!AC || stream.getAudioTracks().length === 0) return () => {};
  const ctx = new AC();
  const src = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  src.connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  const timer = window.setInterval(() => {
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    onLevel(Math.min(1, Math.sqrt(sum / buf.length) * 4));
  }, 100);
  return () => { window.clearInterval(timer); ctx.close(); };
}

export function stopStream(stream) {
  if (stream) stream.getTracks().forEach((t) => t.stop());
}
