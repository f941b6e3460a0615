// The one message area: a line pinned under the header (so it is seen wherever the reader is),
// its space kept from the first paint. A notice clears itself after a few seconds; a problem
// stays until the reader dismisses it or the next message replaces it; progress stays while it
// runs and says how long it has run. A problem may carry one action (Retry). Whoever sends a
// message names its kind (Python: app/messages.py, whose names facts.message_kinds carries).
import { facts } from "../sound/facts.js";

const $ = (id) => document.getElementById(id);

export const NOTICE_MS = 6000;

const KINDS = new Set(facts.message_kinds); // "notice", "problem"

let timer = null;

function show(text, { problem = false, action = null } = {}) {
  clearTimeout(timer);
  const area = $("messages");
  $("status").textContent = text;
  area.classList.toggle("problem", problem);
  $("message-close").hidden = !problem;
  const button = $("message-action");
  button.hidden = !action;
  button.onclick = action && (() => {
    clear();
    action.run();
  });
  if (action) button.textContent = action.label;
}

function clear() {
  show("");
}

/** A message of `kind` "notice" (clears itself) or "problem" (stays until dismissed; so does one
 * with an `action` {label, run}, shown as a button). `lasting`: work under way, it stays. */
export function say(text, { kind, action = null, lasting = false } = {}) {
  if (!lasting && !KINDS.has(kind)) {
    // A sender that names no kind is a bug: reported (the tests fail on page errors), and its
    // message is shown as a problem, so it is seen rather than lost.
    reportError(new Error(`message kind ${JSON.stringify(kind)} is not one of ${[...KINDS]}`));
    kind = "problem";
  }
  const problem = Boolean(text) && !lasting && (kind === "problem" || Boolean(action));
  show(text, { problem, action });
  if (!problem && !lasting && text) timer = setTimeout(clear, NOTICE_MS);
}

// Work under way (a download, a warm-up, a book being read): its line ticks once a second.
const progress = { label: "", started: null, ticker: null };

function showProgress(tick = false) {
  // A tick redraws only the progress line, never a message that replaced it meanwhile.
  if (tick && !$("status").textContent.startsWith(progress.label)) return;
  const seconds = Math.round((performance.now() - progress.started) / 1000);
  say(`${progress.label} · ${seconds} s`, { lasting: true });
}

/** Progress: `running` work stays on the line with the seconds it has taken so far; when it ends,
 * its last label (if any) is a notice. */
export function sayProgress(label, running) {
  if (!running) {
    clearInterval(progress.ticker);
    Object.assign(progress, { label: "", started: null, ticker: null });
    if (label) say(label, { kind: "notice" });
    return;
  }
  progress.started ??= performance.now();
  progress.ticker ??= setInterval(() => showProgress(true), 1000);
  if (label) progress.label = label;
  showProgress();
}

export function wireMessages() {
  $("message-close").addEventListener("click", clear);
}
