import { NIC_LABELS, NICS } from "@/lib/emulator/vm-config";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";

/** The create form's "Network card" choice: paravirtual virtio-net (default) or an emulated NE2000. */
export function NicField({
  id,
  value,
  error,
  onChange,
}: {
  id: string;
  value: string;
  error?: string;
  onChange: (event: { target: { value: string } }) => void;
}) {
  return (
    <Field
      id={id}
      label="Network card"
      hint={
        <>
          virtio-net shares rings of buffers with the host; the NE2000 is emulated register by
          register.
        </>
      }
      error={error}
    >
      {(c) => (
        <Select {...c} className="mt-1 w-full" value={value} onChange={onChange}>
          {NICS.map((nic) => (
            <option key={nic} value={nic}>
              {NIC_LABELS[nic]}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
