"use client";

import { Button } from "@/components/ui/button";

export function PrintButton() {
  return (
    <Button variant="primary" size="lg" onClick={() => window.print()} className="print:hidden">
      Print the handout
    </Button>
  );
}
