import {
  validateVmConfig,
  vmConfigInput,
  type VmConfig,
  type VmConfigFields,
} from "@/lib/emulator/vm-config";

/** A VmConfig for a test, made the only way one is made: through the checks. */
export function validConfig(fields: VmConfigFields): VmConfig {
  const result = validateVmConfig(vmConfigInput(fields), []);
  if (!result.ok) throw new Error(`not a valid config: ${JSON.stringify(result.errors)}`);
  return result.config;
}
