import createMDX from "@next/mdx";

const isStaticExport = process.env.NEXT_OUTPUT === "export";
const basePath = process.env.BASE_PATH ?? "";

/** @type {import('next').NextConfig} */
const nextConfig = {
  pageExtensions: ["ts", "tsx", "mdx"],
  reactStrictMode: true,
  poweredByHeader: false,
  basePath,
  // Type errors are caught by `npm run typecheck` (part of `npm test`) across the whole project.
  typescript: { ignoreBuildErrors: true },
  // The static export ships a service worker (scripts/build-sw.ts) for offline use.
  env: { NEXT_PUBLIC_BASE_PATH: basePath, NEXT_PUBLIC_SERVICE_WORKER: isStaticExport ? "1" : "" },
  ...(isStaticExport
    ? {
        output: "export",
        // NEXT_EXPORT_DIR: export somewhere else than out/ (tests export beside a normal one).
        distDir: process.env.NEXT_EXPORT_DIR ?? "out",
        trailingSlash: true,
        images: { unoptimized: true },
      }
    : {
        // A separate build folder lets two builds (e.g. a check beside a running server) coexist.
        distDir: process.env.NEXT_DIST_DIR ?? ".next",
        // Security headers (with each page's Content-Security-Policy) come from the production
        // server, scripts/serve.ts, and for the static export from scripts/export-headers.ts.
      }),
};

const withMDX = createMDX({
  options: {
    // Strings, not functions: Turbopack passes plugin names across to Rust.
    remarkPlugins: ["remark-frontmatter", "remark-gfm"],
  },
});

export default withMDX(nextConfig);
