// The small-screen layout's two folds: the header's "⋯" menu (secondary controls) and the music
// panel's drawer above the player bar. On a wide screen CSS shows both inline and these buttons
// are hidden; the state classes then change nothing.
const $ = (id) => document.getElementById(id);

function fold(button, target, openClass, host = target) {
  const set = (open) => {
    host.classList.toggle(openClass, open);
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
  // Escape closes it; focus that was inside goes back to its button.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    const inside = target.contains(document.activeElement);
    set(false);
    if (inside) button.focus();
  });
  return set;
}

let closeMenu = () => {};

/** Close the phone's ⋯ menu (a control in it opened a panel of its own). */
export function closeMoreMenu() {
  closeMenu(false);
}

/** Give focus back to `button`, or to the ⋯ button when `button` is folded away in the closed menu. */
export function focusBack(button) {
  const shown = button?.isConnected && button.offsetParent !== null;
  (shown ? button : $("more").offsetParent !== null ? $("more") : $("reader")).focus({ preventScroll: true });
}

export function wireLayout() {
  const bar = document.querySelector(".bar");
  closeMenu = fold($("more"), $("more-controls"), "more-open", bar);
  // A click outside the open menu closes it (a phone has no other way to dismiss it).
  document.addEventListener("click", (e) => {
    if (bar.classList.contains("more-open") && !bar.contains(e.target)) closeMenu(false);
  });
  fold($("panel-toggle"), $("side"), "open");
}
