import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

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
    // Zod must run jitless in the browser: its eval probe is a violation of the site's CSP.
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/zod.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "zod", message: "Import z from lib/zod (jitless) instead." }] },
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
