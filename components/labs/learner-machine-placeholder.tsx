import type { MachineDefinition } from "@/lib/labs/definition";

/**
 * The lab's machines side by side where they fit: the grid answers its own width (a container
 * query), not the screen's, since a lab sits in a column beside the lesson's navigation.
 */
export const LAB_MACHINE_GRID =
  "mt-4 grid grid-cols-1 gap-4 @2xl:grid-cols-2 @5xl:grid-cols-3 [&>*]:min-w-0";

/** A machine the learner has still to make: what it will be and which control makes it. */
export function LearnerMachinePlaceholder({ definition }: { definition: MachineDefinition }) {
  const how = definition.from
    ? `Made from ${definition.from}: press Clone beside one of ${definition.from}'s snapshots.`
    : definition.form
      ? "Not created yet: fill in the lab's create form and press Create VM."
      : "Loading the machine…";
  return (
    <div
      data-machine-placeholder={definition.name}
      className="min-h-40 rounded-xl border border-dashed border-slate-400 p-4 dark:border-slate-600"
    >
      <p className="font-semibold">{definition.name}</p>
      <p className="text-sm text-slate-700 dark:text-slate-300">{how}</p>
    </div>
  );
}
