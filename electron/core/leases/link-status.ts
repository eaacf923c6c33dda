import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';

/** What a kiosk's screen shows about its link to the lot's hub (issue 14): the `link.status` answer. */
export interface LinkStatus {
  role: 'single' | 'hub' | 'satellite';
  state: 'online' | 'offline-leases' | 'out-of-service';
  hubUrl: string | null;
  leasedSlotIds: number[];
  leaseExpiresAt: string | null;
  journalBacklog: number;
  lastHubContactAt: string | null;
}

/** On the machine holding the database: a hub once a satellite is paired, else a single kiosk; always online. */
export function hubLinkStatus(core: KioskCore): LinkStatus {
  const paired = runRead(core, () => core.satellites.anyActive());
  return { role: paired ? 'hub' : 'single', state: 'online', hubUrl: null, leasedSlotIds: [], leaseExpiresAt: null, journalBacklog: 0, lastHubContactAt: null };
}
