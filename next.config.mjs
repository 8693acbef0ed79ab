import createMDX from "@next/mdx";

const isStaticExport = process.env.NEXT_OUTPUT === "export";
const basePath = process.env.BASE_PATH ?? "";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "SAMEORIGIN" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  pageExtensions: ["ts", "tsx", "mdx"],
  reactStrictMode: true,
  poweredByHeader: false,
  basePath,
  // Type errors are caught by `npm run typecheck` (part of `npm test`) across the whole project.
  typescript: { ignoreBuildErrors: true },
  env: { NEXT_PUBLIC_BASE_PATH: basePath },
  ...(isStaticExport
    ? { output: "export", distDir: "out", trailingSlash: true, images: { unoptimized: true } }
    : {
        // A separate build folder lets two builds (e.g. a check beside a running server) coexist.
        distDir: process.env.NEXT_DIST_DIR ?? ".next",
        async headers() {
          return [{ source: "/:path*", headers: securityHeaders }];
        },
      }),
};

const withMDX = createMDX({
  options: {
    // Strings, not functions: Turbopack passes plugin names across to Rust.
    remarkPlugins: ["remark-frontmatter", "remark-gfm"],
  },
});

export default withMDX(nextConfig);
