// The one way the page builds markup: el(tag, attrs, ...children).
//
// attrs: `class` (or className), `dataset` {key: value}, `style` {prop: value}, `on` {event: fn},
// `role`, hyphenated names (`aria-*`) and names the element has no property for as attributes,
// anything else as the element's property (id, type, value, hidden, title, htmlFor...).
// null, undefined and false are left out.
// children: nodes, strings (as text, never parsed as HTML), arrays of them; null/false skipped.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name === "class" || name === "className") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "style" && typeof value === "object") Object.assign(node.style, value);
    else if (name === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else if (name.includes("-") || name === "role" || !(name in node)) {
      node.setAttribute(name, value === true ? "" : String(value));
    } else node[name] = value;
  }
  node.append(...flatten(children));
  return node;
}

function flatten(children) {
  const out = [];
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) out.push(...flatten(child));
    else out.push(typeof child === "number" ? String(child) : child);
  }
  return out;
}

/** `<option value>label</option>`. */
export function option(value, label, attrs = {}) {
  return el("option", { value: String(value), ...attrs }, label);
}

/** Offer a Blob as a file download under `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
