import assert from "node:assert/strict";
import { test } from "node:test";

import { plainCause } from "../../webllm_bridge/causes.js";

test("a failed fetch is a host that cannot be reached, or being offline", () => {
  const fetchFailed = new TypeError("Failed to fetch");
  assert.equal(plainCause(fetchFailed, true), "the model host cannot be reached — you may be offline");
  assert.equal(plainCause(fetchFailed, false), "you are offline");
});

test("HTTP statuses in the engine's words become their meaning", () => {
  assert.match(plainCause(new Error("Failed to fetch model: HTTP 404 Not Found"), true), /not found.*404/);
  assert.match(plainCause(new Error("status: 403"), true), /refused the download \(HTTP 403\)/);
  assert.match(plainCause(new Error("HTTP/1.1 503"), true), /failed to answer \(HTTP 503\)/);
});

test("other messages are kept; a number is not mistaken for a status", () => {
  const f16 = "Gemma 3 1B needs shader-f16 (512 MB buffers)";
  assert.equal(plainCause(new Error(f16), true), f16);
  assert.equal(plainCause(new Error(""), true), "the engine stopped without saying why");
});
