// The hidden WAV-render frame's script (sound/render_frame.html): its own copy of the player
// renders into an OfflineAudioContext, leaving the page's live audio alone.
import { renderOffline } from "./strudel_player.js";

window.renderToWav = async (code, seconds, sampleRate) => {
  const text = atob(await renderOffline(code, seconds, sampleRate));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes.buffer;
};
parent.postMessage("render-frame-ready", location.origin);
