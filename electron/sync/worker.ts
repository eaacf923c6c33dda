import { lostBookingSnapshot } from '../core/bookings/bring-back';
import type { KioskCore } from '../core/kiosk-core';
import { createCentralClient, type CentralClient } from './client';
import { applyDueDocuments, lastVersionReceived, storeDocuments } from './documents';
import {
  completeBringBack,
  firstKeptSeq,
  firstUnsentSeq,
  lotGlobalId,
  markSent,
  outboxStats,
  pendingBringBack,
  pruneOutbox,
  readEvents,
  renumberAfterDivergence,
} from './outbox';

export interface SyncOptions {
  centralUrl: string;
  centralKey: string;
  /** Events per push (default 500). */
  batchSize?: number;
  /** First retry delay and the cap of the exponential backoff (defaults 1 s and 60 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How often an idle worker looks again (pull for new documents; default 15 s). */
  idleMs?: number;
  /** Deadline of one request (default 20 s). */
  requestTimeoutMs?: number;
}

export interface SyncState {
  linkUp: boolean;
  lastContactAt: number | null;
  lastError: string | null;
  failures: number;
  /** Where the next push starts (central's "need" after a refusal). */
  nextSeq: number | null;
  /** The last time central found this lot's history diverged (restored from an older backup) and the lot renumbered its newer events. */
  lastRenumber: { at: number; fromSeq: number; toSeq: number; events: number; restored: number; conflicts: number } | null;
}

/**
 * The hub's sync loop: push unsent outbox events in sequence order, in batches, until none
 * are left; then pull new central documents, keep them and apply the due ones. Events are
 * marked sent only up to the sequence the central server confirmed it holds. Any failure
 * (network, refusal, central down) waits with exponential backoff and full jitter, then
 * resumes from the first unconfirmed event, so nothing is skipped or sent out of order.
 * Network waits happen outside every SQLite transaction.
 */
export class SyncWorker {
  readonly state: SyncState = { linkUp: false, lastContactAt: null, lastError: null, failures: 0, nextSeq: null, lastRenumber: null };
  private readonly client: CentralClient;
  private readonly lotId: string;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private readonly options: Required<SyncOptions>;

  constructor(
    private readonly core: KioskCore,
    options: SyncOptions,
  ) {
    this.options = {
      centralUrl: options.centralUrl,
      centralKey: options.centralKey,
      batchSize: options.batchSize ?? 500,
      backoffBaseMs: options.backoffBaseMs ?? 1000,
      backoffMaxMs: options.backoffMaxMs ?? 60_000,
      idleMs: options.idleMs ?? 15_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
    };
    this.client = createCentralClient(options.centralUrl, options.centralKey, this.options.requestTimeoutMs);
    this.lotId = lotGlobalId(core);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A committed change wakes an idle worker at once (a backing-off one keeps its delay).
    this.unsubscribe = this.core.events.subscribe(() => {
      if (this.state.failures === 0) this.wake();
    });
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
  }

  /** Runs a round now (or right after the current one). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), ms);
    this.timer.unref?.();
  }

  /** One round; resolves when it has scheduled the next. */
  async round(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.again = false;
    try {
      await this.pushAll();
      await this.bringBackIfPending();
      pruneOutbox(this.core);
      await this.pullAndApply();
      this.state.failures = 0;
      this.state.lastError = null;
      this.running = false;
      if (!this.stopped) this.schedule(this.again ? 0 : this.options.idleMs);
    } catch (error) {
      this.state.linkUp = false;
      this.state.failures += 1;
      this.state.lastError = error instanceof Error ? error.message : String(error);
      this.running = false;
      if (!this.stopped) this.schedule(this.backoff());
    }
  }

  /** Full jitter: a random delay up to min(cap, base * 2^failures), never below a tenth of base. */
  private backoff(): number {
    const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** Math.min(this.state.failures - 1, 20));
    return Math.max(this.options.backoffBaseMs / 10, Math.random() * ceiling);
  }

  private async pushAll(): Promise<void> {
    for (;;) {
      const from = this.state.nextSeq ?? firstUnsentSeq(this.core);
      const events = readEvents(this.core, from, this.options.batchSize);
      const stats = outboxStats(this.core);
      const result = await this.client.sync.push.mutate({
        lotId: this.lotId,
        events,
        backlog: Math.max(0, stats.unsent - events.length),
        oldestUnsentAt: stats.oldestUnsentAt,
      });
      this.contact();
      if (result.diverged !== null) {
        // Restored from an older backup: what central holds past this point is history this
        // database lost; the events made here since then follow it under new sequences.
        const events = renumberAfterDivergence(this.core, result.diverged, result.lastSeq);
        this.state.lastRenumber = { at: this.core.clock.now(), fromSeq: result.diverged, toSeq: result.lastSeq + 1, events, restored: 0, conflicts: 0 };
        this.state.nextSeq = result.lastSeq + 1;
        continue;
      }
      if (result.lastSeq > 0) markSent(this.core, result.lastSeq);
      // Follow central's cursor: after a refusal it names the sequence it needs, else the one after its last.
      this.state.nextSeq = result.need ?? result.lastSeq + 1;
      if (result.need !== null && result.need > stats.lastSeq + 1) {
        throw new Error(`The central server expects event ${result.need}, beyond this lot's last (${stats.lastSeq}).`);
      }
      if (result.need !== null) {
        const kept = firstKeptSeq(this.core);
        // Only a central store restored from an old copy asks for events the lot has pruned.
        if (kept !== null && result.need < kept)
          throw new Error(`The central server asks for event ${result.need}; this lot keeps events from ${kept} on only.`);
      }
      if (result.need === null && events.length < this.options.batchSize) return;
    }
  }

  /**
   * After a restore from an older backup: what central holds of the bookings still running (or
   * to come) goes back into the lot (core/bookings/bring-back.ts). Pending in the database from
   * the renumbering on, so a failed or interrupted try is made again next round.
   */
  private async bringBackIfPending(): Promise<void> {
    const fromSeq = pendingBringBack(this.core);
    if (fromSeq === null) return;
    const running = await this.client.sync.running.query({ lotId: this.lotId, nowMs: this.core.clock.now() });
    const lost = running.flatMap((row) => {
      // A row this lot cannot read (a newer central's format) is left at central, not guessed at.
      const parsed = lostBookingSnapshot.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    });
    const brought = completeBringBack(this.core, lost, fromSeq);
    const last = this.state.lastRenumber ?? { at: this.core.clock.now(), fromSeq, toSeq: fromSeq, events: 0, restored: 0, conflicts: 0 };
    this.state.lastRenumber = { ...last, restored: brought.restored.length, conflicts: brought.conflicts.length };
  }

  private async pullAndApply(): Promise<void> {
    for (;;) {
      const since = lastVersionReceived(this.core);
      const documents = await this.client.sync.pull.query({ lotId: this.lotId, sinceVersion: since });
      this.contact();
      storeDocuments(this.core, documents);
      applyDueDocuments(this.core);
      if (!documents.length) return;
      await this.client.sync.ack.mutate({ lotId: this.lotId, version: lastVersionReceived(this.core) });
    }
  }

  private contact(): void {
    this.state.linkUp = true;
    this.state.lastContactAt = this.core.clock.now();
  }
}
