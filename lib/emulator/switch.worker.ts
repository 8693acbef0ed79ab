/// <reference lib="webworker" />
import { startSwitchService, type SwitchEndpoint } from "./switch-service";

/** The page's virtual switch, in a thread of its own (switch-service.ts). */
startSwitchService(self as unknown as SwitchEndpoint);
