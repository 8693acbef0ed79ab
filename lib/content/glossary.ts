/** The course glossary: one short definition per term, linked from lessons with `<Term id>`. */

export interface GlossaryEntry {
  /** Anchor on /glossary and the `id` a lesson's `<Term>` uses: kebab-case. */
  id: string;
  term: string;
  definition: string;
  /** Other entries worth reading next, by id. */
  related?: string[];
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: "ami",
    term: "AMI (Amazon Machine Image)",
    definition:
      "The template an AWS EC2 instance is launched from: a saved disk (or disks) with an operating system and software, plus settings such as the boot mode. Other clouds call the same idea an image.",
    related: ["machine-image", "instance"],
  },
  {
    id: "ballooning",
    term: "Ballooning",
    definition:
      "A way for a host to take memory back from a running VM with its help: a driver in the guest (a balloon) asks its own kernel for pages and tells the host their numbers, so the host can reuse them. The guest chooses what to give up, and its usable memory shrinks by the balloon's size.",
    related: ["overcommitment", "page-sharing"],
  },
  {
    id: "bare-metal",
    term: "Bare metal",
    definition:
      "Running directly on the physical hardware, with no operating system or hypervisor underneath. A type 1 hypervisor is sometimes called a bare-metal hypervisor for this reason.",
    related: ["type-1-hypervisor"],
  },
  {
    id: "bios",
    term: "BIOS",
    definition:
      "The firmware a PC runs first when powered on. It tests and sets up the hardware, then loads the first sector of a boot device into memory and jumps to it. Virtual machines get a virtual BIOS (here: SeaBIOS).",
    related: ["boot-sector", "bootloader"],
  },
  {
    id: "boot-sector",
    term: "Boot sector",
    definition:
      "The first 512-byte sector of a disk or floppy. The BIOS loads it and runs it if it ends with the signature bytes 0x55 0xAA. On a partitioned hard disk it holds the MBR.",
    related: ["mbr", "bios"],
  },
  {
    id: "bootloader",
    term: "Bootloader",
    definition:
      "A small program that the firmware starts and that in turn loads an operating system kernel into memory, with its command line. GRUB, SYSLINUX and extlinux are bootloaders.",
    related: ["mbr", "kernel"],
  },
  {
    id: "clone",
    term: "Clone",
    definition:
      "A new virtual machine made as a copy of an existing one (its disk, and sometimes its memory). Clones need their own identity: a different name, network address and MAC address.",
    related: ["snapshot", "machine-image"],
  },
  {
    id: "cloud-computing",
    term: "Cloud computing",
    definition:
      "Renting computing resources (virtual machines, storage, networks) from a provider on demand, paid by use, created and destroyed through a web console or an API instead of by buying hardware.",
    related: ["iaas", "instance"],
  },
  {
    id: "consolidation",
    term: "Server consolidation",
    definition:
      "Moving the workloads of many under-used physical servers onto fewer hosts as virtual machines, so that each host is busier and fewer machines need power, cooling and care.",
    related: ["utilization"],
  },
  {
    id: "container",
    term: "Container",
    definition:
      "An isolated group of processes that shares the host's kernel. Lighter than a virtual machine (no second kernel, no virtual hardware) but with a thinner wall between tenants.",
    related: ["virtual-machine", "kernel"],
  },
  {
    id: "emulator",
    term: "Emulator",
    definition:
      "Software that imitates a whole machine, including its processor, by interpreting or translating each instruction. Slower than hardware-assisted virtualization, but it runs anywhere, even inside a web page.",
    related: ["hypervisor", "webassembly"],
  },
  {
    id: "filesystem",
    term: "Filesystem",
    definition:
      "The structure an operating system writes on a partition to keep files and folders: ext2 and ext4 on Linux, NTFS on Windows. Making one (mkfs) turns raw disk space into something that can be mounted.",
    related: ["partition", "journal"],
  },
  {
    id: "guest-agent",
    term: "Guest agent",
    definition:
      "A small program inside a virtual machine that talks to the hypervisor or its tools over a private channel, so the host can ask questions (is this file there?) without touching the user's console.",
  },
  {
    id: "guest-os",
    term: "Guest operating system",
    definition:
      "The operating system that runs inside a virtual machine. It manages the virtual hardware it was given as if it were real, usually without needing to know that it is virtual.",
    related: ["host-os", "virtual-machine"],
  },
  {
    id: "hardware-assisted-virtualization",
    term: "Hardware-assisted virtualization",
    definition:
      "Processor features (Intel VT-x, AMD-V) that let guest code run directly on the real CPU while the hypervisor keeps control of sensitive operations. It is what makes modern hypervisors fast.",
    related: ["hypervisor", "emulator"],
  },
  {
    id: "host",
    term: "Host",
    definition:
      "The physical computer that virtual machines run on, and whose processor, memory, disks and network they share.",
    related: ["host-os"],
  },
  {
    id: "host-os",
    term: "Host operating system",
    definition:
      "The operating system installed on the physical machine. With a type 2 hypervisor it runs the hypervisor as one of its applications; a type 1 hypervisor needs none.",
    related: ["type-2-hypervisor", "guest-os"],
  },
  {
    id: "hypervisor",
    term: "Hypervisor",
    definition:
      "The software that creates and runs virtual machines: it gives each one virtual hardware and shares the host's real processor, memory and devices between them. Also called a virtual machine monitor (VMM).",
    related: ["type-1-hypervisor", "type-2-hypervisor"],
  },
  {
    id: "iaas",
    term: "IaaS (Infrastructure as a Service)",
    definition:
      "The cloud service model in which the provider rents out virtual machines, disks and networks, and the customer manages the operating system and everything above it.",
    related: ["cloud-computing"],
  },
  {
    id: "installer",
    term: "Installer media",
    definition:
      "A bootable disc image (usually an ISO file) or USB stick that starts a small system whose job is to put an operating system onto a computer's own disk.",
    related: ["iso-image"],
  },
  {
    id: "instance",
    term: "Instance",
    definition:
      "A cloud provider's word for one virtual machine you have launched. It runs on a host you never see, from an image, with the size set by its instance type.",
    related: ["instance-type", "ami"],
  },
  {
    id: "instance-type",
    term: "Instance type",
    definition:
      "A named size of cloud virtual machine: a fixed number of virtual CPUs and amount of memory (for example AWS t3.micro: 2 vCPUs, 1 GiB), priced per second or hour.",
    related: ["instance", "vcpu"],
  },
  {
    id: "isolation",
    term: "Isolation",
    definition:
      "The guarantee that what happens inside one virtual machine (a crash, a full disk, a compromise) stays inside it and does not reach its neighbours or the host.",
  },
  {
    id: "iso-image",
    term: "ISO image",
    definition:
      "A file holding the exact contents of a CD or DVD (ISO 9660 format). Hypervisors can insert one into a virtual drive, which is how operating systems are usually installed in VMs.",
    related: ["installer"],
  },
  {
    id: "journal",
    term: "Journal (filesystem)",
    definition:
      "A small area of a filesystem where changes are written down before they are made. After a power cut the next mount replays or discards the half-done ones, so the filesystem is consistent again in moments. ext4 and NTFS have one; ext2 does not.",
    related: ["filesystem"],
  },
  {
    id: "kernel",
    term: "Kernel",
    definition:
      "The core of an operating system: the program that owns the hardware, schedules processes and manages memory. Every virtual machine runs its own kernel.",
    related: ["kernel-panic"],
  },
  {
    id: "kernel-panic",
    term: "Kernel panic",
    definition:
      "The state a Linux kernel enters when it meets an error it cannot recover from: it stops the whole (virtual) machine rather than risk damaging data.",
    related: ["isolation"],
  },
  {
    id: "live-migration",
    term: "Live migration",
    definition:
      "Moving a running virtual machine from one host to another with only a pause of a fraction of a second, by copying its memory while it keeps running.",
  },
  {
    id: "machine-image",
    term: "Machine image",
    definition:
      "A saved, reusable copy of a virtual machine's disk (and settings) from which new machines are launched, all starting identical.",
    related: ["ami", "snapshot"],
  },
  {
    id: "mbr",
    term: "MBR (Master Boot Record)",
    definition:
      "The first sector of a BIOS-partitioned hard disk: a little boot code followed by the partition table. The BIOS runs the code, which finds the active partition and starts its bootloader.",
    related: ["boot-sector", "partition"],
  },
  {
    id: "mips",
    term: "MIPS",
    definition:
      "Millions of instructions per second: how fast a processor, real or emulated, gets through code. The course's VM panels show each guest's MIPS live.",
  },
  {
    id: "nested-paging",
    term: "Nested paging (EPT, NPT)",
    definition:
      "Processor support (Intel EPT, AMD NPT, from 2007-2008) for the second level of address translation in a VM: the hardware walks the guest's page tables and then the hypervisor's, so the guest edits its page tables without exits. A TLB miss can then cost up to 24 memory references with four-level tables.",
    related: ["shadow-page-tables", "hardware-assisted-virtualization"],
  },
  {
    id: "nic",
    term: "Network interface card (NIC)",
    definition:
      "The device a computer sends and receives network frames with. A VM has a virtual NIC (here an emulated NE2000 card, eth0 in Linux) plugged into a virtual switch.",
    related: ["virtual-switch"],
  },
  {
    id: "overcommitment",
    term: "Overcommitment",
    definition:
      "Promising virtual machines more memory or CPUs in total than the host physically has, counting on them not all using their full share at once. Memory works because a host provides a VM's pages only as the guest uses them, and takes them back when needed by ballooning, page sharing, compression or swapping.",
    related: ["utilization", "ballooning", "page-sharing"],
  },
  {
    id: "overhead",
    term: "Virtualization overhead",
    definition:
      "The extra work, time and memory the virtualization layer costs compared with running on the hardware directly: translated instructions, emulated devices, a second kernel in memory.",
  },
  {
    id: "page-sharing",
    term: "Page sharing (KSM, TPS)",
    definition:
      "A host finding memory pages with identical contents, in one VM or across VMs, and keeping a single read-only copy; a write gets a private copy back. It saves memory at the cost of scanning time and a timing side channel between VMs, which is why clouds do not share pages across customers.",
    related: ["overcommitment", "ballooning"],
  },
  {
    id: "partition",
    term: "Partition",
    definition:
      "A contiguous slice of a disk that the partition table marks out for one purpose, such as a root filesystem. Linux names them after the disk: /dev/sda1 is the first partition of /dev/sda.",
    related: ["mbr", "filesystem"],
  },
  {
    id: "perpetual-licence",
    term: "Perpetual licence",
    definition:
      "A software licence bought once and usable forever for that version, usually with optional yearly support. The opposite of a subscription, which stops when you stop paying.",
    related: ["subscription"],
  },
  {
    id: "scale-out",
    term: "Scaling out",
    definition:
      "Handling more load by adding more machines of the same kind (horizontal scaling), as opposed to scaling up: giving one machine more CPUs or memory (vertical scaling).",
  },
  {
    id: "security-group",
    term: "Security group",
    definition:
      "In AWS, a set of firewall rules attached to an instance's network interface that says which traffic may come in and go out. Other clouds have equivalents.",
    related: ["virtual-switch"],
  },
  {
    id: "shadow-page-tables",
    term: "Shadow page tables",
    definition:
      "Page tables a hypervisor builds in software to map a guest's virtual addresses straight to host memory, kept in step with the guest's own tables by catching every change to them. Nested paging replaced them on processors that have it.",
    related: ["nested-paging"],
  },
  {
    id: "snapshot",
    term: "Snapshot",
    definition:
      "The saved state of a virtual machine at one moment: its disk, and often its memory and device state too, so it can be returned to or copied later.",
    related: ["clone", "snapshot-sprawl"],
  },
  {
    id: "snapshot-sprawl",
    term: "VM and snapshot sprawl",
    definition:
      "The pile-up of forgotten virtual machines and old snapshots that happens when creating them is cheap: they keep using disk, memory and licences, and nobody remembers who owns them.",
  },
  {
    id: "subscription",
    term: "Subscription licence",
    definition:
      "Paying for software per period (per month or year, often per CPU core or socket). Stopping payment ends the right to use it, or at least to get updates and support.",
    related: ["perpetual-licence"],
  },
  {
    id: "type-1-hypervisor",
    term: "Type 1 hypervisor",
    definition:
      "A hypervisor whose VM scheduler runs directly on the hardware rather than as an application of a host operating system (VMware ESXi, Microsoft Hyper-V, Xen, KVM inside Linux). Other software may run beside it (Xen's dom0, Hyper-V's root partition, the rest of Linux with KVM), scheduled by it. Also called bare-metal or native.",
    related: ["type-2-hypervisor", "bare-metal"],
  },
  {
    id: "type-2-hypervisor",
    term: "Type 2 hypervisor",
    definition:
      "A hypervisor that runs as an application on an ordinary operating system and asks it for memory, CPU time and devices (Oracle VirtualBox, VMware Workstation). Also called hosted.",
    related: ["type-1-hypervisor", "host-os"],
  },
  {
    id: "utilization",
    term: "Utilization",
    definition:
      "The share of a machine's capacity (CPU time, memory, disk, network) actually doing work. A server that is busy 10% of the time has 90% of its capacity idle.",
    related: ["consolidation"],
  },
  {
    id: "vcpu",
    term: "vCPU",
    definition:
      "A virtual processor as seen by a guest. The hypervisor schedules vCPUs onto the host's real cores, the way an operating system schedules threads.",
  },
  {
    id: "virtual-machine",
    term: "Virtual machine (VM)",
    definition:
      "A complete computer (processor, memory, disks, network card, firmware) made of software by a hypervisor, on which an ordinary operating system can be installed and run.",
    related: ["hypervisor", "guest-os"],
  },
  {
    id: "virtual-switch",
    term: "Virtual switch",
    definition:
      "A network switch made of software inside the host that connects virtual NICs to each other and, optionally, to the outside network. Unplugging a VM from it is a setting, not a cable.",
    related: ["nic"],
  },
  {
    id: "virtualization",
    term: "Virtualization",
    definition:
      "Making a software version of something physical (a computer, a disk, a network) that behaves like the real thing, so that one physical resource can serve many users separately.",
    related: ["virtual-machine"],
  },
  {
    id: "webassembly",
    term: "WebAssembly",
    definition:
      "A compact binary code format that web browsers run at close to native speed. The course's emulator is compiled to it, which is how a PC can run inside a page.",
    related: ["emulator"],
  },
];

const BY_ID = new Map(GLOSSARY.map((entry) => [entry.id, entry]));

export function getGlossaryEntry(id: string): GlossaryEntry | undefined {
  return BY_ID.get(id);
}

/** Entries in alphabetical order of their term. */
export function sortedGlossary(): GlossaryEntry[] {
  return [...GLOSSARY].sort((a, b) => a.term.localeCompare(b.term, "en", { sensitivity: "base" }));
}
