import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, isTrackedEnvelope, TRPCError, type AnyTRPCRouter } from '@trpc/server';
import { isObservable, observableToAsyncIterable } from '@trpc/server/observable';
import { createApiContext, type ApiEnvironment } from '../api/context';
import type { IpcErrorShape, IpcRequest, IpcResponse, IpcSubscriptionEvent } from '../../shared/ipc-protocol';

/**
 * The IPC adapter over the same router the HTTP server mounts, built only on tRPC's public
 * `callTRPCProcedure`. It knows nothing of Electron: main.ts (through mount.ts) passes it a
 * `send` function, so it runs, and is tested, in plain Node.
 */
export function createIpcHandler(router: AnyTRPCRouter, env: ApiEnvironment, options: { clientKey?: string } = {}) {
  const running = new Map<string, AbortController>();
  const clientKey = options.clientKey ?? 'ipc';

  const shapeOf = (cause: unknown, request: Pick<IpcRequest, 'type' | 'path' | 'input'>): IpcErrorShape =>
    getErrorShape({
      config: router._def._config,
      error: getTRPCErrorFromUnknown(cause),
      type: request.type,
      path: request.path,
      input: request.input,
      ctx: undefined,
    }) as IpcErrorShape;

  const invoke = (request: IpcRequest, signal: AbortSignal | undefined) =>
    callTRPCProcedure({
      router,
      path: request.path,
      type: request.type,
      ctx: createApiContext(env, request.token, clientKey),
      getRawInput: async () => request.input,
      signal,
      batchIndex: 0,
    });

  return {
    async call(request: IpcRequest): Promise<IpcResponse> {
      if (request.type === 'subscription') {
        const error = new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'Subscriptions go through subscribe, not call.' });
        return { ok: false, error: shapeOf(error, request) };
      }
      try {
        return { ok: true, data: await invoke(request, undefined) };
      } catch (cause) {
        return { ok: false, error: shapeOf(cause, request) };
      }
    },

    /**
     * Runs a subscription until it ends, fails or is unsubscribed, sending each value. Always
     * ends with one `stopped` event. Resolves when the procedure has finished its clean-up.
     */
    async subscribe(id: string, request: IpcRequest, send: (event: IpcSubscriptionEvent) => void): Promise<void> {
      running.get(id)?.abort();
      const controller = new AbortController();
      running.set(id, controller);
      const { signal } = controller;
      try {
        if (request.type !== 'subscription') {
          throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'Only subscriptions can be subscribed to.' });
        }
        const result = await invoke(request, signal);
        const iterable = isObservable(result) ? observableToAsyncIterable(result, signal) : (result as AsyncIterable<unknown>);
        if (!signal.aborted) send({ id, kind: 'started' });
        for await (const value of iterable) {
          if (signal.aborted) break;
          if (isTrackedEnvelope(value)) send({ id, kind: 'data', trackedId: String(value[0]), data: value[1] });
          else send({ id, kind: 'data', data: value });
        }
      } catch (cause) {
        if (!signal.aborted) send({ id, kind: 'error', error: shapeOf(cause, request) });
      } finally {
        if (running.get(id) === controller) running.delete(id);
        send({ id, kind: 'stopped' });
      }
    },

    unsubscribe(id: string): void {
      running.get(id)?.abort();
      running.delete(id);
    },

    /** Stops the subscriptions whose ids match, e.g. every one of a renderer that reloads. */
    unsubscribeWhere(matches: (id: string) => boolean): number {
      let stopped = 0;
      for (const [id, controller] of running) {
        if (!matches(id)) continue;
        controller.abort();
        running.delete(id);
        stopped += 1;
      }
      return stopped;
    },

    /** Stops every subscription, e.g. when the app quits. */
    unsubscribeAll(): void {
      for (const controller of running.values()) controller.abort();
      running.clear();
    },

    activeSubscriptions: () => running.size,
    subscriptionIds: (): string[] => [...running.keys()],
  };
}

export type IpcHandler = ReturnType<typeof createIpcHandler>;
