// The reading keys: Space plays or pauses, the arrow keys step one section per press.
// Space only while no control has focus (a focused button or link takes Space itself); the arrows
// also over a focused button (buttons ignore arrows: after clicking Play, ↓ still steps), but not
// in a control that uses them (a field, select, slider, the code box, a dialog). Modified keys are
// the browser's.
const SPACE_TAKERS = "a[href], button, summary, input, select, textarea, dialog, [contenteditable], [role='slider']";
const ARROW_TAKERS = "input, select, textarea, dialog, [contenteditable], [role='slider']";
const STEPS = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

/** True when the key's `target` is in a control that takes that key itself. */
export function takesKey(target, key) {
  if (target?.isContentEditable) return true;
  return Boolean(target?.closest?.(key === " " ? SPACE_TAKERS : ARROW_TAKERS));
}

export function wireKeys({ togglePlay, step }) {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (!(e.key === " " || e.key in STEPS) || takesKey(e.target, e.key)) return;
    e.preventDefault(); // Space would scroll the page; a step scrolls to its section itself
    if (e.repeat) return; // a held key is one press, not a run through the book
    if (e.key === " ") togglePlay();
    else step(STEPS[e.key]);
  });
}
