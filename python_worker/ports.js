// The page's modules Python calls, by the name main.py gives each port (app/remote.py). One
// table: the host imports these, and tests/unit/test_ports.py checks that every method of each
// Python port (app/session/ports.py) is exported by its module.
export const PORTS = {
  bridge: "../webllm_bridge/index.js",
  modes: "../ui/modes.js",
  sound: "../sound/index.js",
  store: "../storage/book_store.js",
  ui: "../ui/index.js",
};
