import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { setHubIdentity } from '../../../electron/core/pairing/hub-identity';
import { satelliteProof, hubProof, sameDigest } from '../../../electron/core/pairing/proof';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LIFE_MS } from '../../../electron/core/pairing/codes';
import { listSatellites, recordSatelliteContact, registerSatellite, verifySatelliteCredential } from '../../../electron/core/pairing/satellites';
import { bootTestKiosk, type TestKiosk } from '../../support/core';

const HUB_FP = 'AA:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF';
const MITM_FP = 'BB:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

async function hubWithCode() {
  kiosk = bootTestKiosk();
  setHubIdentity(kiosk.core, { fingerprint: HUB_FP, addresses: ['https://192.0.2.10:4780'] });
  const owner = kiosk.caller(await kiosk.staffToken('482916'));
  const issued = await owner.satellite.createCode();
  return { owner, issued };
}

const nonce = () => randomBytes(32).toString('base64url');
const pairAs = (clientKey: string, code: string, fingerprint = HUB_FP, name = 'Gate B kiosk') => {
  const n = nonce();
  return kiosk
    .caller(undefined, clientKey, 'network')
    .satellite.pair({ name, nonce: n, proof: satelliteProof(code, fingerprint, n) })
    .then(
      (grant) => ({ ok: true as const, grant, nonce: n }),
      (error: { code?: string; data?: { code?: string }; cause?: { reason?: string } }) => ({
        ok: false as const,
        code: error.code ?? error.data?.code,
        reason: error.cause?.reason,
      }),
    );
};

describe('pairing codes', () => {
  it('issues an 8-character code from the unambiguous alphabet, valid 10 minutes, with the fingerprint and address', async () => {
    const { issued } = await hubWithCode();
    expect(issued.code).toMatch(new RegExp(`^[${PAIRING_CODE_ALPHABET}]{8}$`));
    expect(Date.parse(issued.expiresAt) - kiosk.clock.now()).toBe(PAIRING_CODE_LIFE_MS);
    expect(issued.fingerprint).toBe(HUB_FP);
    expect(issued.shortFingerprint).toBe('AA11 2233 4455 6677');
    expect(issued.addresses).toEqual(['https://192.0.2.10:4780']);
  });

  it('pairs once: the hub proves the code back, the credential works, and the same code is refused the second time', async () => {
    const { issued } = await hubWithCode();
    const first = await pairAs('10.0.0.21', issued.code.toLowerCase().replace(/(.{4})/, '$1-')); // typed in lower case with a dash
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(sameDigest(hubProof(issued.code, HUB_FP, first.nonce, first.grant.satelliteId, first.grant.credential), first.grant.hubProof)).toBe(true);
    expect(Buffer.from(first.grant.credential, 'base64url')).toHaveLength(32);
    expect(verifySatelliteCredential(kiosk.core, first.grant.credential)).toEqual({ id: first.grant.satelliteId, name: 'Gate B kiosk' });
    const again = await pairAs('10.0.0.21', issued.code);
    expect(again).toMatchObject({ ok: false, code: 'FORBIDDEN', reason: 'PAIRING_REFUSED' });
    // The code is not in the audit log (which can be exported); the pairing is.
    const audit = kiosk.core.db.sqlite.prepare('SELECT action, detail FROM audit_log WHERE action LIKE ?').all('satellite.%') as {
      action: string;
      detail: string;
    }[];
    expect(audit.map((row) => row.action)).toEqual(['satellite.code_created', 'satellite.paired', 'satellite.pair_failed']);
    expect(JSON.stringify(audit)).not.toContain(issued.code);
  });

  it('refuses a code after its 10 minutes', async () => {
    const { issued } = await hubWithCode();
    kiosk.clock.advance(PAIRING_CODE_LIFE_MS);
    expect(await pairAs('10.0.0.22', issued.code)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    expect(listSatellites(kiosk.core)).toEqual([]);
  });

  it('refuses a wrong proof, and a right code proven over another fingerprint (a man in the middle)', async () => {
    const { issued } = await hubWithCode();
    const wrong = issued.code.startsWith('A') ? `B${issued.code.slice(1)}` : `A${issued.code.slice(1)}`;
    expect(await pairAs('10.0.0.23', wrong)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    expect(await pairAs('10.0.0.24', issued.code, MITM_FP)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    // The code itself was not used up by either: the real satellite still pairs.
    expect(await pairAs('10.0.0.25', issued.code)).toMatchObject({ ok: true });
  });

  it('needs a hub serving TLS to issue codes or pair', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    await expect(owner.satellite.createCode()).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', cause: { reason: 'PAIRING_NEEDS_TLS' } });
    await expect(owner.satellite.hubInfo()).resolves.toMatchObject({ tls: false });
  });

  it('slows one guesser with growing delays, and burns every live code after 10 wrong proofs from many addresses', async () => {
    const { owner, issued } = await hubWithCode();
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const result = await pairAs('10.0.0.66', 'QQQQQQQQ');
      outcomes.push(result.ok ? 'ok' : result.code!);
    }
    // 3 free wrong tries, the 4th starts a 2 s delay that the 5th runs into; even the right code waits.
    expect(outcomes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'TOO_MANY_REQUESTS']);
    expect(await pairAs('10.0.0.66', issued.code)).toMatchObject({ ok: false, code: 'TOO_MANY_REQUESTS' });
    // Other addresses are not held up by that guesser, but all wrong proofs together (4 + 6 = 10) burn the live code.
    for (let i = 0; i < 6; i += 1) expect(await pairAs(`10.0.1.${i}`, 'WWWWWWWW')).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    expect(await pairAs('10.0.2.1', issued.code)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    const burned = kiosk.core.db.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'satellite.codes_burned'").get() as { n: number };
    expect(burned.n).toBe(1);
    // The owner makes a new code and pairing works again.
    const fresh = await owner.satellite.createCode();
    expect(await pairAs('10.0.2.2', fresh.code)).toMatchObject({ ok: true });
  });
});

describe('satellites', () => {
  it('revoking makes the credential UNAUTHORIZED at once, and is audited', async () => {
    const { owner, issued } = await hubWithCode();
    const paired = await pairAs('10.0.0.30', issued.code);
    if (!paired.ok) throw new Error('pairing failed');
    const satellite = kiosk.caller(undefined, '10.0.0.30', 'network', paired.grant.credential);
    await expect(satellite.satellite.whoami()).resolves.toEqual({ id: paired.grant.satelliteId, name: 'Gate B kiosk' });
    await expect(kiosk.caller(undefined, '10.0.0.30', 'network', 'not-a-credential').satellite.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const revoked = await owner.satellite.revoke({ id: paired.grant.satelliteId });
    expect(revoked.connection).toBe('revoked');
    await expect(satellite.satellite.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(verifySatelliteCredential(kiosk.core, paired.grant.credential)).toBeNull();
    const audit = kiosk.core.db.sqlite.prepare("SELECT actor, detail FROM audit_log WHERE action = 'satellite.revoked'").all() as {
      actor: string;
      detail: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('Owner');
  });

  it('lists each satellite with its last report, and says when contact is lost', async () => {
    kiosk = bootTestKiosk();
    const gate = registerSatellite(kiosk.core, { name: 'Gate A' });
    registerSatellite(kiosk.core, { name: 'Gate B' });
    recordSatelliteContact(kiosk.core, gate.id, { state: 'offline-leases', journalBacklog: 3, leasedSlots: 2 });
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    const listed = await staff.satellite.list();
    const a = listed.find((s) => s.name === 'Gate A')!;
    expect(a).toMatchObject({ connection: 'connected', report: { state: 'offline-leases', journalBacklog: 3, leasedSlots: 2 } });
    expect(a.lastContactAt).toBe(new Date(kiosk.clock.now()).toISOString());
    expect(listed.find((s) => s.name === 'Gate B')).toMatchObject({ connection: 'never', report: null });
    kiosk.clock.advance(60_000);
    expect((await staff.satellite.list()).find((s) => s.name === 'Gate A')!.connection).toBe('lost');
  });

  it('answers link.status as a single kiosk when no satellite runtime is attached', async () => {
    kiosk = bootTestKiosk();
    await expect(kiosk.caller().link.status()).resolves.toEqual({
      role: 'single',
      state: 'online',
      hubUrl: null,
      leasedSlotIds: [],
      leaseExpiresAt: null,
      journalBacklog: 0,
      lastHubContactAt: null,
    });
  });
});
