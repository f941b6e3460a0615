import assert from "node:assert/strict";
import { test } from "node:test";

import { el, option } from "../../ui/dom.js";

// Just enough of a DOM for el(): elements with properties, attributes, dataset, style, listeners.
class FakeElement {
  constructor(tag) {
    Object.assign(this, { tagName: tag.toUpperCase(), children: [], attributes: {}, dataset: {}, style: {} });
    Object.assign(this, { listeners: {}, id: "", className: "", hidden: false, type: "", value: "", title: "" });
  }
  setAttribute(name, value) {
    this.attributes[name] = value;
  }
  addEventListener(type, fn) {
    (this.listeners[type] ||= []).push(fn);
  }
  append(...nodes) {
    this.children.push(...nodes);
  }
}
globalThis.document = { createElement: (tag) => new FakeElement(tag) };

test("el sets properties, attributes, dataset, style and listeners, and appends children", () => {
  const clicked = [];
  const node = el(
    "button",
    { id: "go", class: "primary", type: "button", hidden: true, role: "status", "aria-label": "Go",
      placeholder: "not a property here", dataset: { index: 3 }, style: { flexGrow: "2" },
      on: { click: () => clicked.push(1) }, title: null, disabled: false },
    "Go ", el("span", {}, "now"), null, false, ["a", ["b"]], 7,
  );
  assert.equal(node.tagName, "BUTTON");
  assert.equal(node.id, "go");
  assert.equal(node.className, "primary");
  assert.equal(node.hidden, true);
  assert.deepEqual(node.attributes, { role: "status", "aria-label": "Go", placeholder: "not a property here" });
  assert.deepEqual(node.dataset, { index: 3 });
  assert.deepEqual(node.style, { flexGrow: "2" });
  assert.equal(node.title, ""); // null and false are left out
  assert.equal("disabled" in node, false);
  node.listeners.click[0]();
  assert.deepEqual(clicked, [1]);
  assert.equal(node.children[0], "Go ");
  assert.equal(node.children[1].tagName, "SPAN");
  assert.deepEqual(node.children.slice(2), ["a", "b", "7"]); // text stays text, never markup
});

test("option is an <option> with a string value", () => {
  const node = option(45, "45 s");
  assert.equal(node.tagName, "OPTION");
  assert.equal(node.value, "45");
  assert.deepEqual(node.children, ["45 s"]);
});
