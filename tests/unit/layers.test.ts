import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/** The import rule of eslint.config.mjs, on code as it would sit in the project's folders. */
const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "no-restricted-imports")
    .map((m) => m.message.replace(/^.* restricted from being used by a pattern\. /, ""));
}

describe("layers (docs/architecture.md)", () => {
  it("refuses an import against the layers, through a relative path or the @/ alias", async () => {
    expect(
      await importErrors(
        "lib/emulator/x.ts",
        'import { MachineStore } from "../storage/machine-store";\nexport const s = MachineStore;\n',
      ),
    ).toEqual(["lib/emulator may not import lib/storage (layers: docs/architecture.md)."]);
    expect(
      await importErrors(
        "lib/storage/x.ts",
        'import { engine } from "@/lib/labs/engine";\nexport const e = engine;\n',
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        "lib/content/x.ts",
        'import { VmHost } from "../emulator/vm-host";\nexport const h = VmHost;\n',
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        "lib/labs/x.ts",
        'import { Button } from "@/components/ui/button";\nexport const b = Button;\n',
      ),
    ).toEqual(["lib/ may not import components/ or app/ (layers: docs/architecture.md)."]);
    expect(
      await importErrors(
        "components/vm/x.tsx",
        'import Page from "@/app/page";\nexport const p = Page;\n',
      ),
    ).toHaveLength(1);
    expect(
      await importErrors(
        "lib/cn.ts",
        'import { x } from "@/lib/emulator/vm-host";\nexport const y = x;\n',
      ),
    ).toHaveLength(1);
  });

  it("lets each layer import what lies below it", async () => {
    expect(
      await importErrors(
        "lib/storage/x.ts",
        'import { DISK_CHUNK_BYTES } from "../emulator/disk-changes";\nexport const n = DISK_CHUNK_BYTES;\n',
      ),
    ).toEqual([]);
    expect(
      await importErrors(
        "lib/content/x.ts",
        'import { validateLab } from "../labs/definition";\nexport const v = validateLab;\n',
      ),
    ).toEqual([]);
    expect(
      await importErrors(
        "components/vm/x.tsx",
        'import { VmHost } from "@/lib/emulator/vm-host";\nexport const h = VmHost;\n',
      ),
    ).toEqual([]);
    // Zod only through lib/zod, in every layer.
    expect(
      await importErrors(
        "lib/emulator/x.ts",
        'import { z } from "zod";\nexport const s = z.string();\n',
      ),
    ).toHaveLength(1);
  });
});
