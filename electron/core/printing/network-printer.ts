/**
 * Sends a print job to an ESC/POS printer on the lot network (raw TCP, port 9100).
 *
 * The promise always resolves, never rejects, and within `timeoutMs` (default 3 s) plus a
 * timer tick: a booking waits for nothing. A printer that refuses, resets, has no paper,
 * or accepts and never reads gives a typed failure, and the caller shows the QR on screen.
 *
 * A job counts as printed when the printer has answered the status query (it is alive and
 * reading) and has taken every byte: it closes its side after our end of stream, or it keeps
 * the connection open but everything was flushed by the deadline.
 */
import { connect, type Socket } from 'node:net';
import { parseStatus, STATUS_ANSWER_BYTES, STATUS_QUERY, type PrinterStatus } from './printer-status';

export const PRINTER_PORT = 9100;

export interface NetworkPrinterTarget {
  host: string;
  port?: number;
}

export interface SendOptions {
  /** Bound on the whole job: connect, status, write, close. */
  timeoutMs?: number;
  /**
   * 'require' (default): no answer to DLE EOT means the printer is not answering.
   * 'best-effort': print anyway after a short wait (printers that do not answer status).
   * 'off': do not ask.
   */
  statusCheck?: 'require' | 'best-effort' | 'off';
  /** How long to wait for the status answer; default a third of timeoutMs. */
  statusTimeoutMs?: number;
}

export type PrintFailureReason =
  | 'NOT_CONFIGURED'
  | 'BUSY'
  | 'REFUSED'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'RESET'
  | 'OUT_OF_PAPER'
  | 'COVER_OPEN'
  | 'PRINTER_ERROR'
  /** USB: no such device node (unplugged, switched off). */
  | 'NOT_FOUND'
  /** USB: the kiosk's user may not write to the device (not in the `lp` group). */
  | 'PERMISSION'
  | 'FAILED';

export type PrintPhase = 'connect' | 'status' | 'write' | 'finish';

export type PrintOutcome =
  | { ok: true; bytesSent: number; status: PrinterStatus | null; closedByPrinter: boolean; elapsedMs: number }
  | { ok: false; reason: PrintFailureReason; phase: PrintPhase; detail: string; elapsedMs: number };

const ERROR_REASONS: Record<string, PrintFailureReason> = {
  ECONNREFUSED: 'REFUSED',
  ECONNRESET: 'RESET',
  EPIPE: 'RESET',
  ETIMEDOUT: 'TIMEOUT',
  EHOSTUNREACH: 'UNREACHABLE',
  ENETUNREACH: 'UNREACHABLE',
  EHOSTDOWN: 'UNREACHABLE',
  ENETDOWN: 'UNREACHABLE',
  ENOTFOUND: 'UNREACHABLE',
  EAI_AGAIN: 'UNREACHABLE',
  EADDRNOTAVAIL: 'UNREACHABLE',
};

export function sendToNetworkPrinter(target: NetworkPrinterTarget, data: Uint8Array, options: SendOptions = {}): Promise<PrintOutcome> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 3000;
  const statusCheck = options.statusCheck ?? 'require';
  const statusTimeoutMs = Math.min(options.statusTimeoutMs ?? Math.round(timeoutMs / 3), timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);

  return new Promise<PrintOutcome>((resolve) => {
    let phase: PrintPhase = 'connect';
    let settled = false;
    let status: PrinterStatus | null = null;
    let answer: number[] = [];
    let statusTimer: NodeJS.Timeout | undefined;
    let socket: Socket | undefined;

    const settle = (outcome: PrintOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(statusTimer);
      socket?.destroy();
      resolve(outcome);
    };
    const fail = (reason: PrintFailureReason, detail: string) => settle({ ok: false, reason, phase, detail, elapsedMs: elapsed() });
    const succeed = (closedByPrinter: boolean) => settle({ ok: true, bytesSent: data.length, status, closedByPrinter, elapsedMs: elapsed() });

    const deadline = setTimeout(() => {
      // Everything flushed to a printer that answered: printed, even if it keeps the line open.
      if (phase === 'finish' && status !== null) succeed(false);
      else fail('TIMEOUT', `no progress within ${timeoutMs} ms`);
    }, timeoutMs);

    const sendJob = () => {
      phase = 'write';
      socket!.end(data, () => {
        if (!settled) phase = 'finish';
      });
    };

    try {
      socket = connect({ host: target.host, port: target.port ?? PRINTER_PORT });
    } catch (error) {
      fail('FAILED', (error as Error).message);
      return;
    }
    socket.setNoDelay(true);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      fail(ERROR_REASONS[error.code ?? ''] ?? 'FAILED', `${error.code ?? 'error'}: ${error.message}`);
    });
    socket.on('close', () => {
      if (phase === 'finish') succeed(true);
      else fail('RESET', 'the printer closed the connection early');
    });
    socket.on('data', (chunk: Buffer) => {
      if (phase !== 'status') return; // automatic status back and other chatter
      answer = [...answer, ...chunk];
      if (answer.length < STATUS_ANSWER_BYTES) return;
      clearTimeout(statusTimer);
      const parsed = parseStatus(answer[0]!, answer[1]!);
      if (!parsed) return fail('PRINTER_ERROR', 'the printer answered the status query with something else');
      status = parsed;
      if (parsed.paperOut) return fail('OUT_OF_PAPER', 'the printer reports no paper');
      if (parsed.coverOpen) return fail('COVER_OPEN', 'the printer cover is open');
      if (parsed.error) return fail('PRINTER_ERROR', 'the printer reports an error');
      sendJob();
    });
    socket.on('connect', () => {
      if (statusCheck === 'off') return sendJob();
      phase = 'status';
      socket!.write(STATUS_QUERY);
      statusTimer = setTimeout(() => {
        if (statusCheck === 'require') fail('TIMEOUT', `the printer did not answer the status query within ${statusTimeoutMs} ms`);
        else sendJob();
      }, statusTimeoutMs);
    });
  });
}
