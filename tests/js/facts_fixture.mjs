// Facts for the JS unit tests, shaped like app/seam.py page_facts() (values need not match it:
// tests/e2e/test_boot.py checks the real file against Python). Import this before any module
// that reads the facts: sound/facts.js takes `globalThis.bookmusicFacts` instead of fetching.
export const FACTS = {
  sounds: ["sine", "triangle", "sbd", "white", "gm_piano"],
  drums: ["sbd"],
  drum_keys: { sbd: 36, bd: 36, hh: 42, white: 70 },
  drum_channel: 9,
  melodic_channels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15],
  default_cpm: 20,
  cpm_range: [8, 60],
  default_wpm: 230,
  wpm_range: [80, 900],
  engine_names: { webllm: "WebGPU (WebLLM)", wllama: "CPU (wllama)", none: "No language model" },
  intensity: {
    full: { label: "Full", drums: true, ceiling: 1 },
    soft: { label: "Soft", drums: false, ceiling: 0.15 },
  },
  default_intensity: "full",
  message_kinds: ["notice", "problem"],
  syntax: {
    program: ["setcpm", "stack"], sources: ["n", "note", "s", "sound"], methods: ["gain", "s", "scale", "sound"],
    signals: ["sine"], signal_methods: ["range", "slow", "fast", "segment"], sounds: ["sine", "sbd"], modes: ["minor"],
  },
};

globalThis.bookmusicFacts = FACTS;
