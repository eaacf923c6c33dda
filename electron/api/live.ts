import { TRPCError } from '@trpc/server';
import type { KioskCore } from '../core/kiosk-core';
import type { ChangeEvent } from '../core/shared/events';
import { ChangeWaiter } from '../core/shared/events';
import { resolveActor, type Actor, type ApiContext } from './context';
import { coreFailureAsTrpcError } from './trpc';

/**
 * A stream outlives the request that opened it, so the identity it was opened with is checked
 * again before every value: a staff session logged out or deactivated, or a booking token that
 * no longer holds, ends the stream with UNAUTHORIZED instead of delivering on. Anonymous
 * streams (the lot map) have nothing to lose. `resolve` lets a writer that checks many streams
 * at one instant resolve each distinct token once (electron/server/sse.ts).
 */
export function assertStillAuthorized(ctx: ApiContext, resolve: (ctx: ApiContext) => Actor = (c) => resolveActor(c.core, c.credential)): void {
  const was = ctx.actor;
  if (was.kind === 'anonymous') return;
  const now = resolve(ctx);
  const same = was.kind === 'staff' ? now.kind === 'staff' && now.staff.id === was.staff.id : now.kind === 'booking' && now.bookingId === was.bookingId;
  if (same) return;
  throw new TRPCError({
    code: 'UNAUTHORIZED',
    message: was.kind === 'staff' ? 'Your staff session has ended. Please log in again.' : 'This booking can no longer be followed from this device.',
  });
}

/**
 * The shape of a per-subscriber live subscription: yield `read()` now, again after every
 * matching committed change, and at least once per heartbeat. `changed` says whether a change,
 * not the heartbeat, woke it. Use it only when `read` is cheap and needs no database (lot.changes);
 * anything read from the database goes through a shared `liveFeed`.
 */
export async function* liveQuery<T>(
  ctx: ApiContext,
  matches: (event: ChangeEvent) => boolean,
  heartbeatMs: number,
  signal: AbortSignal | undefined,
  read: (changed: boolean) => T,
): AsyncGenerator<T> {
  const waiter = new ChangeWaiter(ctx.core.events, matches);
  try {
    let changed = false;
    while (!signal?.aborted) {
      assertStillAuthorized(ctx);
      yield read(changed);
      changed = await waiter.next(heartbeatMs, signal);
    }
  } finally {
    waiter.close();
  }
}

/** What a shared feed serves: one value per key, read once per change however many watch it. */
export interface LiveSource<T> {
  /** Feeds are shared by key: the same key must always mean the same read. */
  key: string;
  matches(event: ChangeEvent): boolean;
  /** Reads the value (may touch the database). Runs once per change, not once per subscriber. */
  read(): T;
  /**
   * On a heartbeat: the value with its time-derived fields brought up to `now`, without the
   * database, or null when time alone may have changed it there (a booking's end passed) so it
   * must be read again.
   */
  refresh(value: T, now: number): T | null;
  heartbeatMs: number;
}

type Cached<T> = { ok: true; value: T } | { ok: false; error: unknown } | undefined;

/**
 * One key's live value and everyone watching it. A change on the bus only marks it stale; the
 * first subscriber to wake reads it again and the others get the same value. The heartbeat is
 * one timer per feed (not per subscriber) and refreshes time-derived fields without a query.
 */
export class LiveFeed<T> {
  /** Moves on at every change and heartbeat; a cached value (or error) belongs to one version. */
  version = 0;
  private cached: Cached<T>;
  private subscribers = 0;
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: KioskCore,
    private readonly source: LiveSource<T>,
    private readonly onIdle: () => void,
  ) {}

  join(): void {
    if (this.subscribers++ > 0) return;
    this.unsubscribe = this.core.events.subscribe((event) => {
      if (!this.source.matches(event)) return;
      this.cached = undefined;
      this.wakeAll();
    });
    this.beat();
  }

  leave(): void {
    if (--this.subscribers > 0) return;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    this.wakeAll();
    this.onIdle();
  }

  /**
   * Joins with a callback run (synchronously, so keep it to scheduling work) at every change
   * and heartbeat, for a subscriber that is not a generator: the lean SSE writer
   * (electron/server/sse.ts) holds one listener per feed for all its sockets. Returns `leave`.
   */
  listen(onWake: () => void): () => void {
    this.listeners.add(onWake);
    this.join();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.listeners.delete(onWake);
      this.leave();
    };
  }

  /**
   * The value now, read at most once per version. A read that fails fails the same way for
   * every subscriber until the next change or heartbeat, as the tRPC error it stands for.
   */
  current(): T {
    if (this.cached === undefined) {
      try {
        this.cached = { ok: true, value: this.source.read() };
      } catch (error) {
        this.cached = { ok: false, error: coreFailureAsTrpcError(this.core, error) ?? error };
      }
    }
    if (!this.cached.ok) throw this.cached.error;
    return this.cached.value;
  }

  /** Resolves at the next change or heartbeat (or when the caller gives up). */
  wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private beat(): void {
    // setTimeout, not setInterval: one timer per feed, and tests can drive it with fake timers.
    this.timer = setTimeout(() => {
      const cached = this.cached;
      if (cached?.ok) {
        const fresh = this.source.refresh(cached.value, this.core.clock.now());
        this.cached = fresh === null ? undefined : { ok: true, value: fresh };
      } else {
        this.cached = undefined;
      }
      this.wakeAll();
      this.beat();
    }, this.source.heartbeatMs);
    this.timer.unref?.();
  }

  private wakeAll(): void {
    this.version++;
    for (const wake of [...this.waiters]) wake();
    for (const onWake of [...this.listeners]) onWake();
  }
}

const feeds = new WeakMap<KioskCore, Map<string, LiveFeed<unknown>>>();

/** The shared feed of `source` for a core, made on first use and dropped when its last subscriber leaves. */
export function sharedFeed<T>(core: KioskCore, source: LiveSource<T>): LiveFeed<T> {
  let byKey = feeds.get(core);
  if (!byKey) feeds.set(core, (byKey = new Map()));
  const existing = byKey.get(source.key) as LiveFeed<T> | undefined;
  if (existing) return existing;
  const map = byKey;
  const created: LiveFeed<T> = new LiveFeed(core, source, () => {
    if (map.get(source.key) === created) map.delete(source.key);
  });
  byKey.set(source.key, created as LiveFeed<unknown>);
  return created;
}

/** Marks a subscription's result as a shared feed, so a transport can serve it without a generator per subscriber. */
export const LIVE_FEED = Symbol('kiosk.liveFeed');

/** What a `liveFeed` subscription returns: an async iterable, plus what it is a view of. */
export interface LiveFeedStream<T> extends AsyncIterable<T, void, unknown> {
  readonly [LIVE_FEED]: { ctx: ApiContext; source: LiveSource<T> };
}

/**
 * The shared value of `source` now, after every matching change and on every heartbeat, each
 * time after `assertStillAuthorized`. With 10,000 watchers of one booking a change costs one
 * read, not 10,000. A procedure returns this (rather than `yield*` it) so that the lean SSE
 * writer can recognise it after the procedure's input parser and middlewares have run, and
 * serve it with one serialization per change for all sockets; every other caller (IPC,
 * in-process, tRPC's own SSE) just iterates it.
 */
export function liveFeed<T>(ctx: ApiContext, source: LiveSource<T>, signal: AbortSignal | undefined): LiveFeedStream<T> {
  return {
    [LIVE_FEED]: { ctx, source },
    [Symbol.asyncIterator]: () => feedValues(ctx, source, signal),
  };
}

async function* feedValues<T>(ctx: ApiContext, source: LiveSource<T>, signal: AbortSignal | undefined): AsyncGenerator<T, void> {
  const feed = sharedFeed(ctx.core, source);
  feed.join();
  try {
    while (!signal?.aborted) {
      const seen = feed.version;
      assertStillAuthorized(ctx);
      yield feed.current();
      // A change that landed while this subscriber was busy is not lost: the version moved on.
      if (feed.version === seen) await feed.wait(signal);
    }
  } finally {
    feed.leave();
  }
}

/** How many shared feeds are open for a core (status and tests). */
export const openFeeds = (core: KioskCore): number => feeds.get(core)?.size ?? 0;

export const inLot = (lotId: number | undefined) => (event: ChangeEvent) => lotId === undefined || event.lotId === lotId;
