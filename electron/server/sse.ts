import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, type AnyTRPCRouter } from '@trpc/server';
import { parseConnectionParamsFromString } from '@trpc/server/http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { resolveActor, type Actor, type ApiContext } from '../api/context';
import { assertStillAuthorized, LIVE_FEED, sharedFeed, type LiveFeed, type LiveFeedStream } from '../api/live';

/**
 * The lean SSE path for subscriptions that are shared feeds (`liveFeed` in electron/api/live.ts:
 * booking.watch, slot.watch). tRPC's standalone adapter gives every stream its own chain of
 * async generators, web streams and a Request/Response pair, and serializes every value once
 * per stream: about 77 KB of heap per stream, and a full pass through that chain per value per
 * subscriber. Here a stream is a socket in a set:
 *
 * - The procedure is called once per request through tRPC's public `callTRPCProcedure`, so its
 *   input parser, middlewares and access check run exactly as on every other path; a procedure
 *   that returns a `liveFeed` is served here, anything else goes back to the standalone handler.
 * - Each value is serialized once per change and the same Buffer is written to every socket.
 * - Before each value every stream's token is checked again (`assertStillAuthorized`), each
 *   distinct token resolved once per slice of sockets, not once per socket.
 * - Pings come from one timer for all sockets, sent only to sockets silent for a whole ping
 *   interval (tRPC: the same, with a timer per stream); none between heartbeat values.
 * - A socket whose write buffer is over `maxBacklogBytes` is dropped instead of buffered without
 *   bound; the client's EventSource reconnects and gets the current value.
 *
 * The frames are tRPC's, byte for byte at the SSE level (stream/sse.ts in @trpc/server): a
 * `connected` event with the client options, `data:` events with the serialized value, `ping`
 * events, and a `serialized-error` event with the router's error shape that ends the stream.
 * Only HTTP chunk boundaries differ (one chunk per event here). tests/reliability/sse.test.ts
 * compares both paths.
 */
export interface LeanSseOptions {
  router: AnyTRPCRouter;
  /** The context of a subscription request, exactly as the standalone handler makes it. */
  createContext(req: IncomingMessage, connectionParams: Record<string, string | undefined> | null): ApiContext;
  /** A socket with more than this many bytes not yet sent is dropped (the client reconnects). */
  maxBacklogBytes: number;
}

export interface LeanSse {
  /**
   * Serves a GET subscription request (`path` is the procedure path). Resolves false when the
   * request is not one for this path; nothing has been written then, and the caller hands the
   * request to the standalone handler.
   */
  serve(req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams): Promise<boolean>;
  /** Open lean streams, feeds served and sockets dropped for backlog so far. */
  stats(): { streams: number; feeds: number; dropped: number };
}

/** Sockets written per turn of the event loop, so other requests are served during a fan-out. */
const SLICE = 250;

/** What tRPC's SSE response carries (sseHeaders plus the `vary` its response meta adds). */
const SSE_HEADERS = {
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'content-type': 'text/event-stream',
  vary: 'trpc-accept, accept',
  'x-accel-buffering': 'no',
};

/**
 * One SSE event as bytes, twice: bare (for `res.write`), and framed as one HTTP/1.1 chunk, so a
 * chunked response can take the very same Buffer on every socket with one `socket.write`.
 */
interface Bytes {
  bare: Buffer;
  chunk: Buffer;
}
const sseBytes = (text: string): Bytes => {
  const bare = Buffer.from(text);
  return { bare, chunk: Buffer.concat([Buffer.from(`${bare.length.toString(16)}\r\n`), bare, CRLF]) };
};
const CRLF = Buffer.from('\r\n');
const event = (name: string, data: string): Bytes => sseBytes(`event: ${name}\ndata: ${data}\n\n\n`);
const dataEvent = (json: string): Bytes => sseBytes(`data: ${json}\n\n\n`);

interface Stream {
  res: ServerResponse;
  /**
   * The socket, when the response is chunked and owns it (the usual case): then each event goes
   * out as a pre-framed chunk with one `socket.write`. Otherwise (an HTTP/1.0 client) `res.write`.
   */
  socket: Socket | undefined;
  /** The context the procedure ran with: its actor and token are checked before every value. */
  ctx: ApiContext;
  input: unknown;
  /** The feed version this stream last got, so no value is sent twice. */
  sentVersion: number;
  /** The ping tick of its last write. */
  lastTick: number;
  ended: boolean;
}

interface Frame {
  version: number;
  bytes: Bytes;
  /** The feed's read failed: `bytes` is the error event, and it ends the stream. */
  failed: boolean;
}

export function createLeanSse(options: LeanSseOptions): LeanSse {
  const config = options.router._def._config;
  const sse = config.sse ?? {};
  // Options this writer does not implement: leave every subscription to tRPC.
  const enabled = sse.enabled !== false && !sse.maxDurationMs && !sse.emitAndEndImmediately;
  const pingMs = sse.ping?.enabled ? (sse.ping.intervalMs ?? 1000) : 0;
  const connected = event('connected', JSON.stringify(sse.client ?? {}));
  const ping = event('ping', '');
  /** Paths whose procedure returned something else than a shared feed: tRPC serves them. */
  const notFeeds = new Set<string>();
  const groups = new Map<string, Group>();
  let streamCount = 0;
  let dropped = 0;
  let pinger: NodeJS.Timeout | undefined;
  let tick = 0;

  const errorEvent = (cause: unknown, path: string, input: unknown, ctx: ApiContext | undefined): Bytes => {
    const error = getTRPCErrorFromUnknown(cause);
    const shape = getTRPCErrorShape({ config, error, type: 'subscription', path, input, ctx });
    return event('serialized-error', JSON.stringify(config.transformer.output.serialize(shape)));
  };

  /** Writes unless the socket is gone or too far behind; a socket too far behind is dropped. */
  function write(stream: Stream, bytes: Bytes): boolean {
    const { res, socket } = stream;
    if (stream.ended || res.destroyed || socket?.destroyed) return false;
    if (res.writableLength > options.maxBacklogBytes) {
      dropped++;
      res.destroy();
      return false;
    }
    if (socket) socket.write(bytes.chunk);
    else res.write(bytes.bare);
    stream.lastTick = tick;
    return true;
  }

  function end(stream: Stream, lastEvent: Bytes): void {
    write(stream, lastEvent);
    stream.ended = true;
    if (!stream.res.destroyed) stream.res.end();
  }

  /** The next value for one stream, after its token is checked again (tRPC's order). */
  function deliver(group: Group, stream: Stream, frame: Frame, resolve?: (ctx: ApiContext) => Actor): void {
    if (stream.ended || stream.sentVersion >= frame.version) return;
    try {
      assertStillAuthorized(stream.ctx, resolve);
    } catch (cause) {
      end(stream, errorEvent(cause, group.path, stream.input, stream.ctx));
      group.remove(stream);
      return;
    }
    stream.sentVersion = frame.version;
    if (frame.failed) {
      end(stream, frame.bytes);
      group.remove(stream);
    } else {
      write(stream, frame.bytes);
    }
  }

  /** One shared feed as served to a set of sockets: one listener on the feed, one frame per version. */
  class Group {
    readonly streams = new Set<Stream>();
    private frame: Frame | undefined;
    private readonly leave: () => void;
    private scheduled = false;
    private running = false;

    constructor(
      private readonly key: string,
      readonly path: string,
      private readonly feed: LiveFeed<unknown>,
      private readonly input: unknown,
      private readonly ctx: ApiContext,
    ) {
      this.leave = feed.listen(() => this.schedule());
    }

    /** The current value's frame, serialized once per feed version. */
    frameNow(): Frame {
      const version = this.feed.version;
      if (this.frame?.version === version) return this.frame;
      try {
        const value = this.feed.current();
        this.frame = { version, bytes: dataEvent(JSON.stringify(config.transformer.output.serialize(value))), failed: false };
      } catch (cause) {
        this.frame = { version, bytes: errorEvent(cause, this.path, this.input, this.ctx), failed: true };
      }
      return this.frame;
    }

    remove(stream: Stream): void {
      if (!this.streams.delete(stream)) return;
      streamCount--;
      if (this.streams.size > 0) return;
      groups.delete(this.key);
      this.leave();
      if (streamCount === 0) {
        clearInterval(pinger);
        pinger = undefined;
      }
    }

    /** A change or heartbeat: fan out after the emitter returns (it may run inside a commit's aftermath). */
    private schedule(): void {
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.fanOut());
    }

    private async fanOut(): Promise<void> {
      this.scheduled = false;
      if (this.running) return; // the running pass picks up the new version at its next slice
      this.running = true;
      try {
        let again = true;
        while (again && this.streams.size > 0) {
          let oldest = Infinity;
          const list = [...this.streams];
          for (let i = 0; i < list.length; i += SLICE) {
            if (i > 0) await new Promise((resolve) => setImmediate(resolve));
            const frame = this.frameNow();
            oldest = Math.min(oldest, frame.version);
            // One lookup per distinct token in this slice: a slice runs at one instant.
            const actors = new Map<string | undefined, Actor>();
            const resolve = (ctx: ApiContext): Actor => {
              let actor = actors.get(ctx.credential);
              if (!actor) actors.set(ctx.credential, (actor = resolveActor(ctx.core, ctx.credential)));
              return actor;
            };
            for (let j = i; j < Math.min(i + SLICE, list.length); j++) deliver(this, list[j]!, frame, resolve);
          }
          // A version that arrived after the first slices were written goes out to them too.
          again = this.feed.version > oldest;
        }
      } finally {
        this.running = false;
      }
    }
  }

  /**
   * Ticks every half ping interval. A stream last written before the tick before last has been
   * silent for at least one whole interval (and under 1.5): ping it, as tRPC does after one
   * interval of silence. A stream that gets a heartbeat value every interval is not pinged.
   */
  function pingIdle(): void {
    tick++;
    for (const group of groups.values()) {
      for (const stream of group.streams) {
        if (tick - stream.lastTick >= 3) write(stream, ping);
      }
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams): Promise<boolean> {
    // Batches, resumption by event id and broken parameters get tRPC's own handling and errors.
    if (!enabled || notFeeds.has(path) || search.has('batch')) return false;
    if (req.headers['last-event-id'] !== undefined || search.has('lastEventId') || search.has('Last-Event-Id')) return false;
    let input: unknown;
    let connectionParams: Record<string, string | undefined> | null;
    let ctx: ApiContext;
    try {
      const rawInput = search.get('input');
      input = rawInput ? config.transformer.input.deserialize(JSON.parse(rawInput)) : undefined;
      const rawParams = search.get('connectionParams');
      connectionParams = rawParams === null ? null : parseConnectionParamsFromString(rawParams);
      ctx = options.createContext(req, connectionParams);
    } catch {
      return false;
    }

    const abort = new AbortController();
    const onClose = () => abort.abort();
    res.once('close', onClose);
    let result: unknown;
    try {
      result = await callTRPCProcedure({
        router: options.router,
        path,
        type: 'subscription',
        ctx,
        getRawInput: async () => input,
        signal: abort.signal,
        batchIndex: 0,
      });
    } catch (cause) {
      // Input, middlewares or the access check refused it: tRPC answers 200 with the error event.
      res.writeHead(200, SSE_HEADERS);
      res.write(connected.bare);
      res.end(errorEvent(cause, path, input, ctx).bare);
      return true;
    } finally {
      res.off('close', onClose);
    }
    if (!isLiveFeedStream(result)) {
      notFeeds.add(path);
      return false;
    }
    if (res.destroyed) return true; // the client left while the procedure ran
    const live = result[LIVE_FEED];
    const key = `${path}\0${live.source.key}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = new Group(key, path, sharedFeed(live.ctx.core, live.source), input, live.ctx)));

    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    // Once the head is out, a chunked response's body is ours to frame: node only adds the
    // final zero-length chunk at res.end(). res.socket is set only when the response owns it.
    const socket = res.chunkedEncoding && res.socket ? res.socket : undefined;
    const stream: Stream = { res, socket, ctx: live.ctx, input, sentVersion: -1, lastTick: tick, ended: false };
    write(stream, connected);
    group.streams.add(stream);
    streamCount++;
    const joined = group;
    res.once('close', () => joined.remove(stream));
    if (pingMs > 0 && !pinger) {
      pinger = setInterval(pingIdle, pingMs / 2);
      pinger.unref();
    }
    deliver(group, stream, group.frameNow());
    return true;
  }

  return { serve, stats: () => ({ streams: streamCount, feeds: groups.size, dropped }) };
}

const isLiveFeedStream = (value: unknown): value is LiveFeedStream<unknown> => typeof value === 'object' && value !== null && LIVE_FEED in value;
