/**
 * Identical pages across VMs, from each VM's page keys (memory-scan.ts): what a host that merges
 * identical pages (KSM on Linux, transparent page sharing on ESXi) could keep once instead of
 * once per copy. Pure: the page counts it from the VMs' latest scans.
 */

export interface VmPages {
  id: string;
  /** One key per used page of the VM (equal keys: identical content). */
  keys: Float64Array;
}

export interface VmSharing {
  /** The VM's used pages that are identical to a page of another VM. */
  sharedWithOthers: number;
  /** The VM's used pages that repeat a page of its own (a host could merge those too). */
  repeatsWithin: number;
}

export interface PageSharing {
  byVm: Map<string, VmSharing>;
  /** Used pages of all the VMs together. */
  usedPages: number;
  /** Different contents among them: what the host keeps after merging every identical page. */
  distinctPages: number;
  /** usedPages - distinctPages: pages merging would give back to the host. */
  mergeablePages: number;
}

export function countSharing(vms: readonly VmPages[]): PageSharing {
  // For each content: in how many VMs it appears.
  const owners = new Map<number, { vms: number }>();
  let usedPages = 0;
  const byVm = new Map<string, VmSharing>();
  for (const vm of vms) {
    const seen = new Set<number>();
    let repeatsWithin = 0;
    for (const key of vm.keys) {
      if (seen.has(key)) {
        repeatsWithin++;
        continue;
      }
      seen.add(key);
      const owner = owners.get(key);
      if (owner) owner.vms++;
      else owners.set(key, { vms: 1 });
    }
    usedPages += vm.keys.length;
    byVm.set(vm.id, { sharedWithOthers: 0, repeatsWithin });
  }
  for (const vm of vms) {
    let shared = 0;
    for (const key of vm.keys) if (owners.get(key)!.vms > 1) shared++;
    byVm.get(vm.id)!.sharedWithOthers = shared;
  }
  return {
    byVm,
    usedPages,
    distinctPages: owners.size,
    mergeablePages: usedPages - owners.size,
  };
}
