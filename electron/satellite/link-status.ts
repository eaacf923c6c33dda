import type { KioskCore } from '../core/shared/core';

/** The contract `link.status` answers (shared with the satellite runtime). */
export interface LinkStatus {
  role: 'single' | 'hub' | 'satellite';
  state: 'online' | 'offline-leases' | 'out-of-service';
  hubUrl: string | null;
  leasedSlotIds: number[];
  leaseExpiresAt: string | null;
  journalBacklog: number;
  lastHubContactAt: string | null;
}

const sources = new WeakMap<KioskCore, () => LinkStatus>();

/** The satellite runtime (or a hub) registers where its status comes from. */
export function setLinkStatusSource(core: KioskCore, source: () => LinkStatus): void {
  sources.set(core, source);
}

export const SINGLE_KIOSK: LinkStatus = {
  role: 'single',
  state: 'online',
  hubUrl: null,
  leasedSlotIds: [],
  leaseExpiresAt: null,
  journalBacklog: 0,
  lastHubContactAt: null,
};

export const linkStatusOf = (core: KioskCore): LinkStatus => sources.get(core)?.() ?? SINGLE_KIOSK;
