// ESLint on the player's scripts (templates/player/src): run by tests/test_player_sources.py as
// `npx eslint --config tests/browser/eslint.config.mjs templates/player/src` from the repository.
// The files are joined by packager/packaging/runtime.py inside one function that declares the
// namespace each set shares (CP for the page, T for the LRS trackers): those are the only
// cross-file names. Module scopes are immediately invoked functions and are not counted by
// max-lines-per-function; every other function stays under 60 lines.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    files: ["**/templates/player/src/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 5,
      sourceType: "script",
      globals: { ...globals.browser, Promise: "readonly" },
    },
    rules: {
      ...js.configs.recommended.rules,
      "no-undef": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: false, skipComments: false, IIFEs: false }],
    },
  },
  { files: ["**/templates/player/src/*.js"], languageOptions: { globals: { CP: "writable" } } },
  { files: ["**/templates/player/src/tracker/*.js"], languageOptions: { globals: { T: "writable" } } },
];
