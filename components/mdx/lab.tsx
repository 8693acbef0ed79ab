import type { ReactNode } from "react";
import { CommandBlock } from "@/components/labs/command-block.client";
import { CreateMachineLoader } from "@/components/labs/create-machine.client";
import { HostLoadButton } from "@/components/labs/host-load-button.client";
import { HostPicture as HostPictureLoader } from "@/components/labs/host-picture.client";
import { LabProvider } from "@/components/labs/lab-provider.client";
import { LabHeader } from "@/components/labs/lab-header.client";
import { LabMachines } from "@/components/labs/lab-machines.client";
import { StepCard } from "@/components/labs/step-card.client";
import { ErrorBoundary } from "@/components/site/error-boundary.client";
import type { LabDefinition } from "@/lib/labs/definition";
import { extractElements, ofType } from "@/lib/react-extract";

/*
 * The lab components a lesson writes. Their attributes are plain strings, validated once at build
 * time by the content pipeline (lib/content); the lesson page hands each <Lab> its validated
 * definition, which is what the browser receives.
 */

interface LabProps {
  id: string;
  title: string;
  children?: ReactNode;
  /** Given by the lesson page (labsWithDefinitions), never written in a lesson. */
  definition?: LabDefinition;
}

type MachineProps = Record<string, string | undefined>;

interface StepProps {
  id: string;
  title: string;
  check: string;
  vm?: string;
  children?: ReactNode;
}

interface SolutionProps {
  do: string;
  children?: ReactNode;
}

export function Lab({ id, title, children, definition }: LabProps) {
  if (!definition) {
    throw new Error(
      `<Lab id="${id}"> has no validated definition: lessons render on their page, which passes one`,
    );
  }
  const { rest: intro, found } = extractElements(children, [Step, Machine]);
  const steps = ofType<StepProps>(found, Step);
  return (
    <ErrorBoundary label={`Lab: ${title}`} what={`The lab "${title}"`} resetLabel="Reset this lab">
      <LabProvider lab={definition}>
        <LabHeader />
        <LabMachines />
        {intro.length > 0 ? <div className="mt-4 [&>*+*]:mt-4">{intro}</div> : null}
        <ol className="mt-6 space-y-4" aria-label={`Steps of ${title}`}>
          {steps}
        </ol>
      </LabProvider>
    </ErrorBoundary>
  );
}

/** The lesson page's <Lab>: each lab gets the definition the content pipeline validated. */
export function labsWithDefinitions(labs: readonly LabDefinition[]) {
  return function LessonLab(props: LabProps) {
    return <Lab {...props} definition={labs.find((lab) => lab.id === props.id.trim())} />;
  };
}

/** Declares a machine of the enclosing lab; it renders in the lab's machine area. */
export function Machine(_props: MachineProps) {
  return null;
}

export function Step({ id, title, children }: StepProps) {
  const { rest: instruction, found } = extractElements(children, [Hint, Solution]);
  const hints = ofType<{ children?: ReactNode }>(found, Hint).map((hint) => hint.props.children);
  const solution = ofType<SolutionProps>(found, Solution)[0];
  return (
    <StepCard id={id.trim()} title={title} hints={hints} solution={solution?.props.children}>
      {instruction}
    </StepCard>
  );
}

/** Read by <Step>; rendered one at a time on request. */
export function Hint({ children }: { children?: ReactNode }) {
  return <>{children}</>;
}

/** Read by <Step>; its `do` actions back the "Do it for me" button and the course's own tests. */
export function Solution({ children }: SolutionProps) {
  return <>{children}</>;
}

export function Command({ vm, children }: { vm?: string; children?: ReactNode }) {
  return <CommandBlock vm={vm}>{children}</CommandBlock>;
}

/** A "Load the host" control: busy loops outside any VM, competing with the guests for the CPU. */
export function HostLoad() {
  return <HostLoadButton />;
}

/** The lab's create form, making its machine `name` within the limits the lesson set. */
export function CreateMachine({ name }: { name: string } & MachineProps) {
  return <CreateMachineLoader name={name.trim()} />;
}

/** The host's memory cut into the VMs' slices, and each VM's share of processor time. */
export function HostPicture() {
  return <HostPictureLoader />;
}
