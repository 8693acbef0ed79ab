import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/**
 * The layers of lib/ (docs/architecture.md) and which other lib/ folders each may import. Plain
 * modules at lib/*.ts (cn, zod, field-path, ...) are open to all; lib/ never imports components/
 * or app/. A folder missing here may import any layer.
 */
const LAYERS = {
  "guest-agent": [],
  emulator: ["guest-agent"],
  storage: ["emulator"],
  overhead: ["emulator"],
  search: [],
  labs: ["emulator", "guest-agent", "storage"],
  content: ["labs", "search"],
  workshop: ["content"],
  offline: [],
  class: ["labs"],
  cloud: ["emulator", "guest-agent", "storage"],
};
const LIB_FOLDERS = [
  "guest-agent",
  "emulator",
  "storage",
  "overhead",
  "search",
  "labs",
  "content",
  "workshop",
  "offline",
  "class",
  "cloud",
];

// Zod must run jitless in the browser: its eval probe is a violation of the site's CSP.
const ZOD_PATH = { name: "zod", message: "Import z from lib/zod (jitless) instead." };

/** An import of `folder` from inside lib/ (relative) or through the @/lib alias. */
function importOf(folder) {
  return `^(@/lib/|(\\.\\./)+)${folder}(/|$)`;
}

function layerRules(layer, allowed) {
  const forbidden = LIB_FOLDERS.filter((f) => f !== layer && !allowed.includes(f));
  return {
    files: [`lib/${layer}/**`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [ZOD_PATH],
          patterns: [
            ...forbidden.map((folder) => ({
              regex: importOf(folder),
              message: `lib/${layer} may not import lib/${folder} (layers: docs/architecture.md).`,
            })),
            {
              regex: "^(@/(components|app)/|(\\.\\./)+(components|app)/)",
              message: "lib/ may not import components/ or app/ (layers: docs/architecture.md).",
            },
          ],
        },
      ],
    },
  };
}

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/zod.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [ZOD_PATH] }] },
  },
  {
    files: ["lib/*.ts"],
    ignores: ["lib/zod.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [ZOD_PATH],
          patterns: [
            {
              regex: "^(@/(lib|components|app)/|\\./[a-z-]+/)",
              message: "lib/*.ts are shared helpers: they import no layer (docs/architecture.md).",
            },
          ],
        },
      ],
    },
  },
  ...Object.entries(LAYERS).map(([layer, allowed]) => layerRules(layer, allowed)),
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [ZOD_PATH],
          patterns: [
            {
              regex: "^(@/app/|(\\.\\./)+app/)",
              message:
                "components/ may not import app/ (routes use components, not the other way).",
            },
          ],
        },
      ],
    },
  },
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "out/**",
      "node_modules/**",
      ".cache/**",
      "public/**",
      "next-env.d.ts",
    ],
  },
];

export default config;
