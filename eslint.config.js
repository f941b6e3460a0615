// ESLint for the page's JavaScript (flat config): browser ES modules, workers, the service worker,
// and node for the JS unit tests and scripts. `import-x/no-cycle` keeps the module graph acyclic.
import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import globals from "globals";

export default [
  {
    // Built, installed or vendored code is not ours to lint.
    ignores: [
      "dist/", "build/", "node_modules/", "**/vendor/", ".venv/", "bench/results/", "test-results/",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.{js,mjs}"],
    plugins: { "import-x": importX },
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: globals.browser },
    settings: { "import-x/resolver-next": [createNodeResolver()] },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
    },
  },
  {
    // Workers: the parse worker, WebLLM's engine worker.
    files: ["ui/ingest_worker.js", "webllm_bridge/engines/webllm_worker.js"],
    languageOptions: { globals: globals.worker },
  },
  {
    files: ["service_worker/**/*.js"],
    languageOptions: { globals: globals.serviceworker },
  },
  {
    files: ["tests/**/*.mjs", "scripts/**/*.{js,mjs}", "bench/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: globals.node },
  },
];
