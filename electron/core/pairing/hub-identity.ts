import type { KioskCore } from '../shared/core';

/**
 * What this process serves as a hub: the SHA-256 fingerprint of its TLS certificate and the
 * addresses satellites can type. Known only to the server that loaded the certificate, so it
 * is attached to the core at start (like the first-run setup code) rather than stored.
 */
export interface HubIdentity {
  fingerprint: string;
  addresses: string[];
}

const identities = new WeakMap<KioskCore, HubIdentity>();

export function setHubIdentity(core: KioskCore, identity: HubIdentity): void {
  identities.set(core, identity);
}

export const hubIdentity = (core: KioskCore): HubIdentity | null => identities.get(core) ?? null;
