import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest, Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setHubIdentity } from '../../../electron/core/pairing/hub-identity';
import { createKioskHttpServer } from '../../../electron/server/http';
import { loadOrCreateHubCertificate, type HubCertificate } from '../../../electron/server/tls';
import { pinnedAgent, pinnedFetch, probeHubCertificate } from '../../../electron/satellite/hub-tls';
import { HUB_FILE, pairWithHub, readHubLink, trpcCall } from '../../../electron/satellite/pairing';
import { bootTestKiosk, type TestKiosk } from '../../support/core';

let kiosk: TestKiosk | undefined;
const servers: Server[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
  kiosk?.close();
  kiosk = undefined;
});

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `kiosk-${name}-`));

const listen = (server: Server) =>
  new Promise<number>((resolve) => {
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });

async function startHub(): Promise<{ url: string; cert: HubCertificate; port: number }> {
  kiosk = bootTestKiosk();
  const cert = await loadOrCreateHubCertificate(tempDir('hub'));
  const port = await listen(createKioskHttpServer(kiosk, { tls: cert }));
  setHubIdentity(kiosk.core, { fingerprint: cert.fingerprint256, addresses: [`https://127.0.0.1:${port}`] });
  return { url: `https://127.0.0.1:${port}`, cert, port };
}

/** GET over an agent: 'ok <status>' or the error code the client saw. */
const getWith = (agent: Agent, url: string) =>
  new Promise<string>((resolve) => {
    const req = httpsRequest(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(`ok ${res.statusCode}`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.name === 'HubIdentityError' ? 'HubIdentityError' : (error.code ?? error.message)));
    req.end();
  });

describe('the hub certificate', () => {
  it('is made once (key file 0600) and reused on later starts', async () => {
    const dir = tempDir('cert');
    const first = await loadOrCreateHubCertificate(dir);
    expect(first.created).toBe(true);
    expect(statSync(first.keyFile).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateHubCertificate(dir);
    expect(second.created).toBe(false);
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(first.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});

describe('HTTPS with a pinned client', () => {
  it('serves the API over TLS to a client pinned to its fingerprint', async () => {
    const hub = await startHub();
    const agent = pinnedAgent({ fingerprint: hub.cert.fingerprint256, certificate: hub.cert.cert });
    agents.push(agent);
    expect(await getWith(agent, `${hub.url}/healthz`)).toBe('ok 200');
    const lots = await trpcCall(
      pinnedFetch({ fingerprint: hub.cert.fingerprint256, certificate: hub.cert.cert }, agent),
      hub.url,
      'lot.list',
      'GET',
      undefined,
    );
    expect(Array.isArray(lots)).toBe(true);
  });

  it('refuses a hub presenting another certificate than the pinned one', async () => {
    const hub = await startHub();
    const other = await loadOrCreateHubCertificate(tempDir('other'));
    expect(other.fingerprint256).not.toBe(hub.cert.fingerprint256);
    // Pinned to another certificate: the hub's own certificate is not trusted.
    const wrongPin = pinnedAgent({ fingerprint: other.fingerprint256, certificate: other.cert });
    agents.push(wrongPin);
    expect(await getWith(wrongPin, `${hub.url}/healthz`)).not.toMatch(/^ok/);
    // An agent told the right fingerprint but handed another certificate is refused before it connects.
    expect(() => pinnedAgent({ fingerprint: hub.cert.fingerprint256, certificate: other.cert })).toThrow(/does not match/);
  });

  it('speaks no clear text: a plain HTTP request to the hub port gets no answer', async () => {
    const hub = await startHub();
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`http://127.0.0.1:${hub.port}/healthz`, (res) => {
        res.resume();
        resolve(`answered ${res.statusCode}`);
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    expect(outcome).not.toMatch(/^answered 200/);
  });
});

describe('pairWithHub over HTTPS', () => {
  it('pairs, stores hub.json (0600) with the pinned fingerprint, and is refused at once after revoke', async () => {
    const hub = await startHub();
    const owner = kiosk!.caller(await kiosk!.staffToken('482916'));
    const { code } = await owner.satellite.createCode();
    const dataDir = tempDir('satellite');
    const link = await pairWithHub({ hubUrl: hub.url, code, name: 'Gate B', dataDir });
    expect(link.fingerprint).toBe(hub.cert.fingerprint256);
    expect(statSync(join(dataDir, HUB_FILE)).mode & 0o777).toBe(0o600);
    expect(readHubLink(dataDir)).toMatchObject({
      hubUrl: hub.url,
      satelliteId: link.satelliteId,
      credential: link.credential,
      fingerprint: hub.cert.fingerprint256,
    });
    expect(readFileSync(join(dataDir, HUB_FILE), 'utf8')).not.toContain(code);
    const agent = pinnedAgent(link);
    agents.push(agent);
    const call = pinnedFetch(link, agent);
    await expect(trpcCall(call, hub.url, 'satellite.whoami', 'GET', undefined, link.credential)).resolves.toEqual({ id: link.satelliteId, name: 'Gate B' });
    await owner.satellite.revoke({ id: link.satelliteId });
    await expect(trpcCall(call, hub.url, 'satellite.whoami', 'GET', undefined, link.credential)).rejects.toMatchObject({ reason: 'UNAUTHORIZED' });
  });

  it('is refused through a man in the middle with its own certificate, and the code still works directly', async () => {
    const hub = await startHub();
    const owner = kiosk!.caller(await kiosk!.staffToken('482916'));
    const { code } = await owner.satellite.createCode();
    // The attacker terminates TLS with its own certificate and relays every request to the real hub.
    const mitmCert = await loadOrCreateHubCertificate(tempDir('mitm'));
    const upstream = new Agent({ rejectUnauthorized: false });
    agents.push(upstream);
    const mitm = createHttpsServer({ key: mitmCert.key, cert: mitmCert.cert }, (req, res) => {
      const forward = httpsRequest(
        `${hub.url}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: `127.0.0.1:${hub.port}` }, agent: upstream },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    const mitmPort = await listen(mitm as unknown as Server);
    const seen = await probeHubCertificate(`https://127.0.0.1:${mitmPort}`);
    expect(seen.fingerprint).toBe(mitmCert.fingerprint256);
    // The keys each side derives name the certificate it sees: the hub's offers prove nothing to
    // this satellite, which stops before it sends a proof of its own.
    const evilDir = tempDir('evil');
    await expect(pairWithHub({ hubUrl: `https://127.0.0.1:${mitmPort}`, code, name: 'Evil', dataDir: evilDir })).rejects.toMatchObject({
      reason: 'HUB_PROOF_WRONG',
    });
    expect(existsSync(join(evilDir, HUB_FILE))).toBe(false);
    expect(await owner.satellite.list()).toEqual([]);
    // The relayed exchange did not use the code up: the real satellite, directly, pairs with it.
    await expect(pairWithHub({ hubUrl: hub.url, code, name: 'Gate B', dataDir: tempDir('good') })).resolves.toMatchObject({
      fingerprint: hub.cert.fingerprint256,
    });
  });
});
