// The one message area: a line pinned under the header (so it is seen wherever the reader is),
// its space kept from the first paint. A notice clears itself after a few seconds; a problem
// stays until the reader dismisses it or the next message replaces it; progress stays while it
// runs and says how long it has run. A problem may carry one action (Retry).
const $ = (id) => document.getElementById(id);

export const NOTICE_MS = 6000;

// Problems as the app words them (Python's and the page's messages): they must not vanish unread.
const PROBLEM = /could not|cannot|can't|refused|failed|stopped:|went wrong|no readable text|not a BookMusic|belongs to another|needs WebGPU|needs WebAssembly|Unknown model/i;

let timer = null;

export const isProblem = (text) => PROBLEM.test(text);

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

/** A message: a problem stays, a notice clears itself; `action` {label, run} adds a button. */
export function say(text, { action = null, lasting = false } = {}) {
  const problem = Boolean(text) && !lasting && (isProblem(text) || Boolean(action));
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
    if (label) say(label);
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
