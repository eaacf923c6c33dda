/**
 * A network receipt printer for tests: a TCP server on loopback, port 0, that captures every
 * byte of each job and answers ESC/POS real-time status queries (DLE EOT n) like a printer.
 * Behaviours: a working printer, one out of paper, one that accepts and never reads (black
 * hole), one that never answers status, and one that resets the connection mid-job.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { statusAnswer, type PrinterStatus } from '../../electron/core/printing/printer-status';

export type FakePrinterBehaviour =
  { kind: 'ok'; state?: Partial<PrinterStatus> } | { kind: 'black-hole' } | { kind: 'no-status' } | { kind: 'reset-after'; bytes: number };

export interface FakePrinter {
  readonly port: number;
  /** Bytes of each connection that has ended, in order. */
  readonly jobs: Buffer[];
  /** Resolves when `count` jobs have ended; rejects after `timeoutMs`. */
  waitForJobs(count: number, timeoutMs?: number): Promise<Buffer[]>;
  connections(): number;
  /** Most connections open at the same time so far. */
  maxConcurrent(): number;
  close(): Promise<void>;
}

export async function startFakePrinter(behaviour: FakePrinterBehaviour = { kind: 'ok' }): Promise<FakePrinter> {
  const jobs: Buffer[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let accepted = 0;
  let peak = 0;
  let active = 0;
  const jobEnded = (bytes: Buffer) => {
    jobs.push(bytes);
    for (const wake of waiters) wake();
  };

  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    // A job is open from accept until its end of stream (or its close, if it never ends).
    active += 1;
    peak = Math.max(peak, active);
    let open = true;
    const jobOver = () => {
      if (open) active -= 1;
      open = false;
    };
    socket.on('end', jobOver);
    socket.on('close', jobOver);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (behaviour.kind === 'black-hole') {
      // Accept, then never read: the client's bytes pile up in the kernel buffers.
      socket.pause();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (behaviour.kind === 'reset-after' && received >= behaviour.bytes) {
        socket.resetAndDestroy();
        jobEnded(Buffer.concat(chunks));
        return;
      }
      if (behaviour.kind === 'no-status') return;
      // Answer DLE EOT n wherever it appears, also split across chunks.
      answerStatus(socket, chunks, behaviour.kind === 'ok' ? (behaviour.state ?? {}) : {});
    });
    socket.on('end', () => {
      jobEnded(Buffer.concat(chunks));
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    jobs,
    connections: () => accepted,
    maxConcurrent: () => peak,
    waitForJobs(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (jobs.length < count) return;
          cleanup();
          resolve(jobs.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake printer: ${jobs.length} of ${count} jobs after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers each DLE EOT n not yet answered in this connection's bytes so far. */
const answered = new WeakMap<Socket, number>();
function answerStatus(socket: Socket, chunks: Buffer[], state: Partial<PrinterStatus>): void {
  const all = Buffer.concat(chunks);
  let from = answered.get(socket) ?? 0;
  for (let i = from; i + 2 < all.length; i += 1) {
    if (all[i] === 0x10 && all[i + 1] === 0x04) {
      socket.write(Uint8Array.of(statusAnswer(all[i + 2]!, state)));
      from = i + 3;
      i += 2;
    }
  }
  answered.set(socket, Math.max(from, all.length - 2));
}
