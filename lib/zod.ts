/**
 * Zod for this project: import `z` from here, not from "zod". Without `jitless`, Zod probes
 * whether `new Function` works the first time it parses an object; the site's
 * Content-Security-Policy forbids eval, so the probe is blocked and the browser reports a
 * violation. Jitless parsing is the same validation without generated code.
 */
import { z } from "zod";

z.config({ jitless: true });

export { z };
