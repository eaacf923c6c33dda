import type { Server } from 'node:http';
import { isLoopbackAddress } from './hosts';
import { setHubIdentity } from '../core/pairing/hub-identity';
import { shortFingerprint } from '../core/pairing/proof';
import type { BootedKiosk } from '../app/boot';
import { hubAddresses, loadOrCreateHubCertificate, type HubCertificate } from './tls';

/** Loads (or on first start creates) the hub's certificate in the data folder. */
export async function prepareHubTls(dataDir: string): Promise<HubCertificate> {
  return loadOrCreateHubCertificate(dataDir);
}

/** After `listen`: tells the core (pairing, console) which fingerprint and addresses it serves. */
export function announceHubTls(
  kiosk: BootedKiosk,
  cert: HubCertificate,
  port: number,
  bindHost: string | undefined,
  print: (line: string) => void = console.log,
): void {
  const addresses = hubAddresses(port, bindHost);
  setHubIdentity(kiosk.core, { fingerprint: cert.fingerprint256, addresses });
  print(`  TLS:           ${cert.created ? 'new self-signed certificate' : 'certificate'} ${cert.certFile}`);
  print(`  Fingerprint:   SHA-256 ${cert.fingerprint256}`);
  print(`                 (short: ${shortFingerprint(cert.fingerprint256)}; satellites pin it when they pair)`);
  print(`  Hub address:   ${addresses.join('  ')}`);
}

/**
 * The hub's own screen in a browser reaches it over plain HTTP on loopback: this server is
 * bound to 127.0.0.1 and, should that ever change, drops any socket from elsewhere, so
 * nothing travels the lot's network in clear text.
 */
export function loopbackOnly(server: Server): Server {
  server.on('connection', (socket) => {
    if (!isLoopbackAddress(socket.remoteAddress)) socket.destroy();
  });
  return server;
}
