import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback between a satellite and its hub (issue 14 tests). Modes, switchable at
 * any time and applied to open connections too:
 *   pass      – bytes flow both ways
 *   delay     – bytes flow, each chunk `delayMs` late
 *   drop      – every connection is reset at once, new ones too (a cable pulled, a hub gone)
 *   blackhole – connections open, bytes vanish, nothing answers (a switch dropping packets)
 */
export type ProxyMode = 'pass' | 'delay' | 'drop' | 'blackhole';

export interface TcpProxy {
  readonly url: string;
  readonly port: number;
  mode(): ProxyMode;
  set(mode: ProxyMode, delayMs?: number): void;
  /** Points the proxy at another port (a hub restarted elsewhere); open connections are reset. */
  retarget(port: number): void;
  /** How many connections it has accepted. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  let target = targetPort;
  let accepted = 0;
  const pairs = new Set<[Socket, Socket]>();
  const resetAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (mode === 'pass') to.write(chunk);
      else if (mode === 'delay') setTimeout(() => !to.destroyed && to.write(chunk), delayMs).unref();
      // blackhole: swallowed; drop: the sockets are already gone
    });
  };
  const server: Server = createServer((client) => {
    accepted += 1;
    if (mode === 'drop') return void client.resetAndDestroy();
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode: () => mode,
    set(next, ms = 0) {
      mode = next;
      delayMs = ms;
      if (next === 'drop') resetAll();
    },
    retarget(next) {
      target = next;
      resetAll();
    },
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        resetAll();
        server.close(() => resolve());
      }),
  };
}
