// The reading keys: Space plays or pauses, the arrow keys step one section per press. Only while
// no control has focus: a focused button, field, select, link or menu keeps its own keys (Space
// presses the button, arrows move in the select or the code), and modified keys are the browser's.
const CONTROLS = "a[href], button, input, select, textarea, summary, dialog, [contenteditable], [role='slider']";
const STEPS = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

/** True when `target` (a key's target) is a control, or inside one, that takes keys itself. */
export function isControl(target) {
  return Boolean(target?.closest?.(CONTROLS)) || Boolean(target?.isContentEditable);
}

export function wireKeys({ togglePlay, step }) {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || isControl(e.target)) return;
    if (e.key === " ") {
      e.preventDefault(); // the page would scroll too
      if (!e.repeat) togglePlay();
    } else if (e.key in STEPS) {
      e.preventDefault(); // the step scrolls to the section itself
      // A held key repeats: one section per press, not a run through the book.
      if (!e.repeat) step(STEPS[e.key]);
    }
  });
}
