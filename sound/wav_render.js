// Render Strudel code to a WAV file without playing it: an OfflineAudioContext in a fresh,
// hidden frame. The frame gets its own copy of Strudel, so the live player is untouched (Strudel's
// renderer closes and replaces the global audio context) and the result is deterministic.

import { el } from "../ui/dom.js";

const FRAME_URL = new URL("./render_frame.html", import.meta.url);

function openFrame() {
  return new Promise((resolve, reject) => {
    const frame = el("iframe", { hidden: true, title: "WAV renderer", src: FRAME_URL.href });
    const timer = setTimeout(() => reject(new Error("the renderer did not start")), 30_000);
    window.addEventListener("message", function ready(e) {
      if (e.source !== frame.contentWindow || e.data !== "render-frame-ready") return;
      window.removeEventListener("message", ready);
      clearTimeout(timer);
      resolve(frame);
    });
    document.body.append(frame);
  });
}

/** Code in, a Blob of 16-bit stereo WAV out (`seconds` long). Throws on code that does not play. */
export async function renderWav(code, seconds = 30, sampleRate = 44100) {
  const frame = await openFrame();
  try {
    const bytes = await frame.contentWindow.renderToWav(code, seconds, sampleRate);
    return new Blob([bytes], { type: "audio/wav" });
  } finally {
    frame.remove();
  }
}
