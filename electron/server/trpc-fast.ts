import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, TRPCError, type AnyTRPCRouter } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * tRPC queries and mutations answered straight from node:http's request and response, with one
 * `res.end(body)`. tRPC v11's own adapters (standalone, node-http, Fastify; trpc-uwebsockets
 * too) turn every request into a Fetch `Request` and answer through a `Response` and web
 * streams, which cost two thirds of a `booking.get`. This keeps tRPC's wire format and
 * semantics (batching with `?batch=1`, GET `?input=`, error shapes through the router's
 * errorFormatter, HTTP status from the error codes, 207 for mixed batches) by using only
 * tRPC's public pieces. Anything else (subscriptions/SSE, streaming `jsonl` batches, other
 * methods or content types, connectionParams, mixed procedure types, lazy routers) goes to
 * `fallback`, tRPC's standalone handler, unchanged. tests/engine/trpc-fast.test.ts sends the
 * same requests to both and compares status and body.
 */
export interface FastTrpcOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  /** The prefix cut from the URL path to get the procedure path; '/trpc/' by default. */
  basePath?: string;
  /** The request's context; an error thrown here fails every call of the request, as in tRPC. */
  createContext: (req: IncomingMessage) => unknown;
  /** Largest request body in bytes (PAYLOAD_TOO_LARGE beyond it); none by default. */
  maxBodySize?: number;
  /** Most calls in one batch (BAD_REQUEST beyond it); none by default. */
  maxBatchSize?: number;
  /** Handles what this adapter does not: tRPC's standalone handler. */
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
}

type ProcedureType = 'query' | 'mutation' | 'subscription';
interface Procedure {
  _def: { type: ProcedureType };
}
const METHOD_OF: Record<ProcedureType, string> = { query: 'GET', mutation: 'POST', subscription: 'GET' };
const HEADERS = { 'content-type': 'application/json', vary: 'trpc-accept, accept' };

export function createFastTrpcHandler<TRouter extends AnyTRPCRouter>(options: FastTrpcOptions<TRouter>) {
  const { router, createContext, maxBodySize, maxBatchSize, fallback } = options;
  const basePath = options.basePath ?? '/trpc/';
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, Procedure | undefined>;
  const hasLazy = Object.keys((router._def as { lazy?: object }).lazy ?? {}).length > 0;
  const lookup = (path: string): Procedure | undefined => (Object.hasOwn(procedures, path) ? procedures[path] : undefined);

  const send = (res: ServerResponse, json: unknown) => {
    const body = JSON.stringify(transformTRPCResponse(config, json as never));
    res.writeHead(getHTTPStatusCode(json as never), HEADERS);
    res.end(body);
  };
  const shape = (error: TRPCError, path: string | undefined, type: ProcedureType | 'unknown', input: unknown, ctx: unknown) =>
    getErrorShape({ config, error, path, type, input, ctx });

  return (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method;
    const accept = req.headers.accept;
    if (
      (method !== 'GET' && method !== 'POST') ||
      hasLazy ||
      req.headers['trpc-accept'] !== undefined ||
      (accept !== undefined && accept.includes('application/jsonl')) ||
      !contentTypeFits(method, req.headers['content-type'])
    ) {
      fallback(req, res);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      fallback(req, res);
      return;
    }
    const query = url.searchParams;
    if (query.has('connectionParams')) {
      fallback(req, res);
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname.slice(basePath.length));
    } catch {
      fallback(req, res); // tRPC's own message for a malformed escape
      return;
    }
    const isBatch = query.get('batch') === '1';
    const paths = isBatch ? path.split(',') : [path];
    if (isBatch && maxBatchSize !== undefined && paths.length > maxBatchSize) {
      const error = new TRPCError({ code: 'BAD_REQUEST', message: 'Batch call exceeds maximum size' });
      send(res, { error: shape(error, undefined, 'unknown', undefined, undefined) });
      return;
    }
    const found = paths.map(lookup);
    const types = new Set(found.flatMap((p) => (p ? [p._def.type] : [])));
    if (types.size > 1 || types.has('subscription')) {
      fallback(req, res);
      return;
    }
    const type = types.values().next().value ?? 'unknown';

    answer(req, res, { isBatch, paths, found, type, rawQueryInput: query.get('input') }).catch((cause) => {
      // Like tRPC's exception handler: a typed error, never a dropped connection.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, { error: shape(getTRPCErrorFromUnknown(cause), undefined, 'unknown', undefined, undefined) });
    });
  };

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    call: { isBatch: boolean; paths: string[]; found: (Procedure | undefined)[]; type: ProcedureType | 'unknown'; rawQueryInput: string | null },
  ): Promise<void> {
    let ctx: unknown;
    let ctxError: TRPCError | undefined;
    try {
      ctx = await createContext(req);
    } catch (cause) {
      ctxError = getTRPCErrorFromUnknown(cause);
    }
    // Inputs are read once, on the first call that asks (as tRPC does), and shared by the batch.
    let inputs: Promise<Record<number, unknown>> | undefined;
    let parsed: Record<number, unknown> | undefined;
    const readInputs = () =>
      (inputs ??= (req.method === 'GET' ? Promise.resolve(call.rawQueryInput || undefined) : readBody(req, maxBodySize))
        .then((text) => (parsed = toInputs(text === undefined ? undefined : JSON.parse(text), call.isBatch, call.paths.length)))
        .catch((cause: unknown) => {
          if (cause instanceof TRPCError) throw cause;
          throw new TRPCError({ code: 'BAD_REQUEST', message: cause instanceof Error ? cause.message : 'Invalid input', cause });
        }));
    const toInputs = (raw: unknown, isBatch: boolean, count: number): Record<number, unknown> => {
      const result: Record<number, unknown> = Object.create(null);
      if (raw === undefined) return result;
      const deserialize = (value: unknown) => config.transformer.input.deserialize(value);
      if (!isBatch) {
        result[0] = deserialize(raw);
        return result;
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: '"input" needs to be an object when doing a batch call' });
      }
      for (let index = 0; index < count; index += 1) {
        const value = (raw as Record<number, unknown>)[index];
        if (value !== undefined) result[index] = deserialize(value);
      }
      return result;
    };

    const results = await Promise.all(
      call.paths.map(async (path, index) => {
        const procedure = call.found[index];
        try {
          if (!procedure) throw new TRPCError({ code: 'NOT_FOUND', message: `No procedure found on path "${path}"` });
          if (METHOD_OF[procedure._def.type] !== req.method) {
            throw new TRPCError({
              code: 'METHOD_NOT_SUPPORTED',
              message: `Unsupported ${req.method}-request to ${procedure._def.type} procedure at path "${path}"`,
            });
          }
          if (ctxError) throw ctxError;
          const data = await callTRPCProcedure({
            router,
            path,
            type: procedure._def.type,
            ctx,
            getRawInput: async () => (await readInputs())[index],
            signal: undefined,
            batchIndex: index,
          });
          if (isStreamLike(data)) {
            throw new TRPCError({
              code: 'UNSUPPORTED_MEDIA_TYPE',
              message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
            });
          }
          return { result: { data } };
        } catch (cause) {
          const type = procedure?._def.type ?? 'unknown';
          return { error: shape(getTRPCErrorFromUnknown(cause), path, type, parsed?.[index], ctx) };
        }
      }),
    );
    send(res, call.isBatch ? results : results[0]);
  }
}

/** POST needs application/json (tRPC's other body types go to the fallback); GET may not claim a body type. */
function contentTypeFits(method: string, header: string | undefined): boolean {
  const type = header?.split(';', 1)[0]!.trim().toLowerCase();
  if (method === 'POST') return type === 'application/json';
  return type !== 'multipart/form-data' && type !== 'application/octet-stream';
}

/** The whole body as text, refusing more than `maxBytes` as tRPC's node adapter does. */
function readBody(req: IncomingMessage, maxBytes: number | undefined): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (maxBytes !== undefined && size > maxBytes) {
        cleanup();
        reject(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      let text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // as Request.json() does
      resolve(text);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** What tRPC refuses to send as plain JSON: async iterables and objects holding promises or iterables. */
function isStreamLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Symbol.asyncIterator in value) return true;
  return Object.values(value).some(
    (v) =>
      (typeof v === 'object' || typeof v === 'function') && v !== null && (typeof (v as { then?: unknown }).then === 'function' || Symbol.asyncIterator in v),
  );
}
