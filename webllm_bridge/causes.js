// A failed model load in the reader's words: the cause ("you are offline", "the file was not
// found") instead of the engine's error ("TypeError: Failed to fetch"). The engine's own text
// stays in the console for whoever debugs it.

const HTTP = /\b(?:status(?: code)?|HTTP(?:\/[\d.]+)?)[:\s]*([45]\d\d)\b/i;

/** One plain sentence (no final full stop) for why loading failed. */
export function plainCause(err, online = globalThis.navigator?.onLine ?? true) {
  const text = err instanceof Error ? err.message : String(err ?? "");
  if (!online) return "you are offline";
  if (err?.name === "TypeError" && /fetch|network|load failed/i.test(text)) {
    return "the model host cannot be reached — you may be offline";
  }
  const status = text.match(HTTP)?.[1];
  if (status === "404" || /not found/i.test(text)) return "the model file was not found at its address (HTTP 404)";
  if (status === "401" || status === "403") return `the model host refused the download (HTTP ${status})`;
  if (status?.startsWith("5")) return `the model host failed to answer (HTTP ${status}); try again later`;
  if (/QuotaExceeded|quota|no space left/i.test(text)) return "there is not enough storage space in this browser for the model";
  return text || "the engine stopped without saying why";
}
