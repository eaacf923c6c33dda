import type { KioskCore } from '../kiosk-core';

/**
 * What this process serves as a hub: the SHA-256 fingerprint of its TLS certificate and the
 * addresses satellites can type. Known only to the server that loaded the certificate, so it
 * is attached to the core at start (like the first-run setup code) rather than stored; it is
 * kept in the core's satellites store (store.ts).
 */
export interface HubIdentity {
  fingerprint: string;
  addresses: string[];
}

export function setHubIdentity(core: KioskCore, identity: HubIdentity): void {
  core.satellites.hub.identity = identity;
}

export const hubIdentity = (core: KioskCore): HubIdentity | null => core.satellites.hub.identity;
