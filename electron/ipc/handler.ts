import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, type AnyTRPCRouter } from '@trpc/server';
import { createApiContext, type ApiEnvironment } from '../api/context';
import type { IpcErrorShape, IpcRequest, IpcResponse, IpcSubscriptionEvent } from './protocol';

/**
 * The IPC adapter over the same router the HTTP server mounts, built only on tRPC's public
 * `callTRPCProcedure`. It knows nothing of Electron: main.ts passes it a `send` function, so
 * it runs (and is tested) in plain Node.
 */
export function createIpcHandler(router: AnyTRPCRouter, env: ApiEnvironment) {
  const running = new Map<string, AbortController>();

  const shapeOf = (cause: unknown, request: IpcRequest): IpcErrorShape =>
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
      ctx: createApiContext(env, request.token, 'ipc'),
      getRawInput: async () => request.input,
      signal,
      batchIndex: 0,
    });

  return {
    async call(request: IpcRequest): Promise<IpcResponse> {
      if (request.type === 'subscription') return { ok: false, error: shapeOf(new Error('Use subscribe for subscriptions.'), request) };
      try {
        return { ok: true, data: await invoke(request, undefined) };
      } catch (cause) {
        return { ok: false, error: shapeOf(cause, request) };
      }
    },

    async subscribe(id: string, request: IpcRequest, send: (event: IpcSubscriptionEvent) => void): Promise<void> {
      running.get(id)?.abort();
      const controller = new AbortController();
      running.set(id, controller);
      try {
        const iterable = (await invoke(request, controller.signal)) as AsyncIterable<unknown>;
        for await (const data of iterable) {
          if (controller.signal.aborted) break;
          send({ id, kind: 'data', data });
        }
      } catch (cause) {
        if (!controller.signal.aborted) send({ id, kind: 'error', error: shapeOf(cause, request) });
      } finally {
        if (running.get(id) === controller) running.delete(id);
        send({ id, kind: 'stopped' });
      }
    },

    unsubscribe(id: string): void {
      running.get(id)?.abort();
      running.delete(id);
    },

    /** Stops every subscription, e.g. when the renderer reloads or its window closes. */
    unsubscribeAll(): void {
      for (const controller of running.values()) controller.abort();
      running.clear();
    },

    activeSubscriptions: () => running.size,
  };
}

export type IpcHandler = ReturnType<typeof createIpcHandler>;
