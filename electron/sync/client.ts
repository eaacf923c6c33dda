import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import type { CentralRouter } from '../../central/router';

export type CentralClient = TRPCClient<CentralRouter>;

/** A tRPC client to the central server that presents the lot's key; each call gives up after `timeoutMs`. */
export function createCentralClient(url: string, key: string, timeoutMs: number): CentralClient {
  const base = url.replace(/\/+$/, '');
  return createTRPCClient<CentralRouter>({
    links: [
      httpLink({
        url: `${base}/trpc`,
        headers: () => ({ authorization: `Bearer ${key}` }),
        // A black-holed link must not hang the worker: every request has a deadline.
        fetch: (input, init) => fetch(input, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) }),
      }),
    ],
  });
}
