import type { LinkStatus } from '../core/leases/link-status';
import type { LeaseGrant } from '../core/leases/rules';
import type { JournalEvent, ReplayOutcome } from '../core/leases/journal-events';
import type { SatelliteReport } from '../core/pairing/satellites';
import type { Clock } from '../core/shared/clock';
import type { Journal } from './journal';

/** The part of the hub a satellite's link needs (the HTTP hub client, or the hub in-process in tests). */
export interface HubPort {
  lease(report: SatelliteReport): Promise<LeaseGrant>;
  replay(events: readonly JournalEvent[]): Promise<{ outcomes: ReplayOutcome[] }>;
  /** The lot map, kept so the satellite can still draw it (greyed) while the hub is gone. */
  slotMap?(): Promise<unknown[]>;
  /** The hub's lot list (name, zone, currency), kept for the screen while the hub is out of reach. */
  lots?(): Promise<unknown[]>;
}

/**
 * A satellite's link to its hub (issue 14). Each heartbeat first replays the journal (every
 * event the hub has not acknowledged, in order; the hub applies each once), then renews the
 * leases. A heartbeat that fails, or a relayed call that cannot reach the hub, puts the kiosk
 * off line: it sells on its leases until they run out (by its own clock, measured from when the
 * lease request left), then it is out of service. Retries back off from 250 ms to the renew
 * interval, so a hub that comes back is found within seconds.
 */
export class SatelliteLink {
  private connected = false;
  private failures = 0;
  private renewMs = 5_000;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;
  private stopped = true;
  private readonly reachListeners = new Set<(online: boolean) => void>();

  constructor(
    readonly journal: Journal,
    private readonly hub: HubPort,
    private readonly clock: Clock,
    readonly hubUrl: string | null,
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** One heartbeat (concurrent callers share it). */
  heartbeat(): Promise<boolean> {
    this.running ??= this.beat().finally(() => (this.running = undefined));
    return this.running;
  }

  private async beat(): Promise<boolean> {
    const was = this.state();
    try {
      for (let round = 0; this.journal.backlog() > 0 && round < 100; round += 1) {
        const { outcomes } = await this.hub.replay(this.journal.pendingEvents());
        this.journal.acknowledge(outcomes, this.clock.now());
      }
      const sentAt = this.clock.now();
      const grant = await this.hub.lease(this.report());
      this.journal.storeLeases(grant, sentAt);
      if (this.hub.slotMap) this.journal.setMeta('slotMap', JSON.stringify(await this.hub.slotMap()));
      if (this.hub.lots) this.journal.setMeta('lots', JSON.stringify(await this.hub.lots()));
      this.journal.setMeta('lastHubContact', new Date(this.clock.now()).toISOString());
      this.renewMs = grant.renewMs;
      this.setConnected(true);
      this.failures = 0;
    } catch {
      this.setConnected(false);
      this.failures += 1;
    }
    if (this.state() !== was) this.onChange();
    return this.connected;
  }

  /** A relayed call found the hub gone: stop relaying now, not at the next heartbeat. */
  markUnreachable(): void {
    if (!this.connected) return;
    this.setConnected(false);
    this.onChange();
    this.schedule(0);
  }

  /**
   * Calls `listener` each time the hub becomes reachable or stops being so: what answers the
   * screens changes then (the hub, or the journal). Returns the unsubscribe.
   */
  onReachChange(listener: (online: boolean) => void): () => void {
    this.reachListeners.add(listener);
    return () => this.reachListeners.delete(listener);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of this.reachListeners) listener(connected);
  }

  get online(): boolean {
    return this.connected;
  }

  state(now = this.clock.now()): LinkStatus['state'] {
    if (this.connected) return 'online';
    return this.journal.liveLeases(now).length > 0 ? 'offline-leases' : 'out-of-service';
  }

  report(): SatelliteReport {
    const now = this.clock.now();
    return { state: this.state(now), journalBacklog: this.journal.backlog(), leasedSlots: this.journal.liveLeases(now).length };
  }

  status(): LinkStatus {
    const now = this.clock.now();
    const expires = this.journal.leaseExpiresLocal();
    return {
      role: 'satellite',
      state: this.state(now),
      hubUrl: this.hubUrl,
      leasedSlotIds: this.journal.liveLeases(now).map((lease) => lease.slotId),
      leaseExpiresAt: expires === null ? null : new Date(expires).toISOString(),
      journalBacklog: this.journal.backlog(),
      lastHubContactAt: this.journal.meta('lastHubContact'),
    };
  }

  /** Heartbeats every renew interval while connected; backs off (250 ms doubling, capped) while not. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Resolves when no heartbeat is in flight (so the journal can be closed under none). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.heartbeat().then((ok) => this.schedule(ok ? this.renewMs : Math.min(this.renewMs, 250 * 2 ** Math.min(this.failures, 5))));
    }, ms);
  }
}
