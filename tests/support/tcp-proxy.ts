import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy between a lot and the central server that a test can disturb:
 * - 'pass': bytes flow (after `delayMs`, if set);
 * - 'drop': every open connection is reset and new ones are refused at once;
 * - 'blackhole': connections are accepted but nothing is forwarded either way (a dead
 *   hotspot): the client only learns by its own timeout.
 * The target can move (a restarted server on a new port).
 */
export type ProxyMode = 'pass' | 'drop' | 'blackhole';

export interface TcpProxy {
  url: string;
  port: number;
  mode: ProxyMode;
  delayMs: number;
  setMode(mode: ProxyMode): void;
  setTarget(port: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let target = targetPort;
  const state = { mode: 'pass' as ProxyMode, delayMs: 0 };
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (state.mode === 'drop') return void client.resetAndDestroy();
    if (state.mode === 'blackhole') return void client.on('data', () => undefined);
    const upstream = connect(target, '127.0.0.1');
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (state.mode === 'blackhole') return;
      if (state.delayMs > 0) setTimeout(() => to.writable && to.write(chunk), state.delayMs);
      else if (to.writable) to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return state.mode;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    setMode(mode) {
      state.mode = mode;
      if (mode === 'drop') for (const socket of open) socket.destroy();
    },
    setTarget(port) {
      target = port;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
