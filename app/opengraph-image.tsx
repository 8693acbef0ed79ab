import { ImageResponse } from "next/og";
import { SITE_DESCRIPTION, SITE_NAME } from "@/lib/site";

export const dynamic = "force-static";
export const alt = `${SITE_NAME}: ${SITE_DESCRIPTION}`;
export const size = { width: 1200, height: 630 };
export const contentType = "image/png";

/** The social preview, drawn at build time: four VM "slices" of one host. */
export default function OpenGraphImage() {
  const slice = { width: 150, height: 110, borderRadius: 14, background: "#ffffff" };
  return new ImageResponse(
    <div
      style={{
        display: "flex",
        width: "100%",
        height: "100%",
        background: "#0f172a",
        color: "#fff",
        padding: 72,
        alignItems: "center",
        gap: 64,
      }}
    >
      <div
        style={{
          display: "flex",
          flexDirection: "column",
          gap: 20,
          padding: 20,
          borderRadius: 28,
          background: "#1d5fd1",
        }}
      >
        <div style={{ display: "flex", gap: 20 }}>
          <div style={slice} />
          <div style={{ ...slice, opacity: 0.8 }} />
        </div>
        <div style={{ display: "flex", gap: 20 }}>
          <div style={{ ...slice, opacity: 0.8 }} />
          <div style={slice} />
        </div>
      </div>
      <div style={{ display: "flex", flexDirection: "column", flex: 1 }}>
        <div style={{ fontSize: 68, fontWeight: 700 }}>{SITE_NAME}</div>
        <div style={{ fontSize: 34, marginTop: 24, color: "#cbd5e1" }}>
          Create, install, run and measure real x86 virtual machines in your browser.
        </div>
      </div>
    </div>,
    size,
  );
}
