/**
 * Sends a print job to a USB ESC/POS printer through its Linux device node (usblp:
 * /dev/usb/lp0).
 *
 * Why a child process: open() and write() on a device (or a FIFO) can block in the kernel for
 * as long as the printer likes (offline, out of paper, a hung USB link). Done with `fs` in the
 * kiosk, that call would sit in one of libuv's four thread-pool threads with no way to cancel
 * it, and a few stuck jobs would stall every other `fs`/crypto/dns call of the process. So a
 * tiny child (this Node, or Electron run as Node) opens and writes, and the kiosk SIGKILLs it
 * at the deadline and waits (briefly) for it to be reaped. The booking never waits longer
 * than `timeoutMs` plus a short kill grace.
 *
 * No status check: usblp's status (LPGETSTATUS) and DLE EOT answers over USB are not
 * dependable across printers, so there is none; a printer that is off line or out of paper
 * shows up as an open or a write that does not finish, and the deadline turns that into
 * TIMEOUT. A job counts as printed when every byte was written and the device closed.
 */
import { spawn } from 'node:child_process';
import type { PrintFailureReason, PrintOutcome, PrintPhase } from './network-printer';

export interface UsbPrinterTarget {
  /** Absolute path of the device node, e.g. /dev/usb/lp0. */
  device: string;
}

export interface UsbSendOptions {
  /** Bound on the whole job: start the child, open, write, close. */
  timeoutMs?: number;
  /** How long to wait for a killed child to be reaped before answering anyway. */
  killGraceMs?: number;
  /** Called with the child's pid once it is started (tests check it is gone afterwards). */
  onChild?: (pid: number) => void;
}

/**
 * The child: reads the job from stdin, opens the device write-only (never O_CREAT: a missing
 * device must not become a regular file in /dev), writes everything, closes. It reports on
 * stdout, one JSON line per step, so the parent knows the phase and the errno code.
 */
const CHILD_SCRIPT = `
const fs = require('node:fs');
const say = (m) => fs.writeSync(1, JSON.stringify(m) + '\\n');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const job = Buffer.concat(chunks);
  let step = 'open';
  try {
    const fd = fs.openSync(process.argv[1], fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
    say({ step: 'opened' });
    step = 'write';
    for (let at = 0; at < job.length; ) at += fs.writeSync(fd, job, at, job.length - at);
    step = 'close';
    fs.closeSync(fd);
    say({ step: 'done', bytes: job.length });
    process.exit(0);
  } catch (error) {
    say({ step: 'error', at: step, code: error.code || 'EUNKNOWN', message: String(error.message) });
    process.exit(1);
  }
});
`;

type ChildReport = { step: 'opened' } | { step: 'done'; bytes: number } | { step: 'error'; at: 'open' | 'write' | 'close'; code: string; message: string };

const ERROR_REASONS: Record<string, PrintFailureReason> = {
  ENOENT: 'NOT_FOUND',
  ENODEV: 'NOT_FOUND',
  ENXIO: 'NOT_FOUND',
  ENOTDIR: 'NOT_FOUND',
  EACCES: 'PERMISSION',
  EPERM: 'PERMISSION',
  EROFS: 'PERMISSION',
  EBUSY: 'BUSY',
  EIO: 'PRINTER_ERROR',
};

const HINTS: Partial<Record<PrintFailureReason, string>> = {
  NOT_FOUND: 'no such device: is the printer plugged in and switched on (usblp creates /dev/usb/lp0)?',
  PERMISSION: "the kiosk's user may not write to the device: add it to the `lp` group (usermod -aG lp <user>) and log in again",
};

export function sendToUsbPrinter(target: UsbPrinterTarget, data: Uint8Array, options: UsbSendOptions = {}): Promise<PrintOutcome> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 3000;
  const killGraceMs = options.killGraceMs ?? 300;
  const elapsed = () => Math.round(performance.now() - started);

  return new Promise<PrintOutcome>((resolve) => {
    let phase: PrintPhase = 'connect';
    let settled = false;
    let exited = false;
    let report: ChildReport | undefined;
    let stdout = '';

    const settle = (outcome: PrintOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const fail = (reason: PrintFailureReason, detail: string) => settle({ ok: false, reason, phase, detail, elapsedMs: elapsed() });

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(process.execPath, ['-e', CHILD_SCRIPT, target.device], {
        // Electron's binary behaves as plain Node with this set; plain Node ignores it.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['pipe', 'pipe', 'ignore'],
        windowsHide: true,
      });
    } catch (error) {
      resolve({ ok: false, reason: 'FAILED', phase, detail: `the print helper could not start: ${(error as Error).message}`, elapsedMs: elapsed() });
      return;
    }

    const deadline = setTimeout(() => {
      const where = phase === 'connect' ? 'the device did not open' : 'the printer did not take the job';
      child.kill('SIGKILL');
      // Answer once the child is reaped, or after the grace at the latest (a child stuck in an
      // uninterruptible kernel wait dies only when that wait ends; the booking must not wait).
      const grace = setTimeout(() => fail('TIMEOUT', `${where} within ${timeoutMs} ms; helper killed, not yet reaped`), killGraceMs);
      const gone = () => {
        clearTimeout(grace);
        fail('TIMEOUT', `${where} within ${timeoutMs} ms; helper killed`);
      };
      if (exited) gone();
      else child.once('exit', gone);
    }, timeoutMs);

    if (child.pid !== undefined) options.onChild?.(child.pid);

    child.on('error', (error: NodeJS.ErrnoException) => {
      fail('FAILED', `the print helper could not start: ${error.code ?? ''} ${error.message}`.trim());
    });
    child.stdin!.on('error', () => undefined); // EPIPE if the child died first; its exit says why
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      for (let nl = stdout.indexOf('\n'); nl >= 0; nl = stdout.indexOf('\n')) {
        const line = stdout.slice(0, nl);
        stdout = stdout.slice(nl + 1);
        try {
          report = JSON.parse(line) as ChildReport;
        } catch {
          continue;
        }
        if (report.step === 'opened') phase = 'write';
      }
    });
    child.on('exit', () => {
      exited = true;
    });
    // 'close' comes after the exit and after stdout is drained, so the last report is in.
    child.on('close', (code, signal) => {
      if (settled || signal === 'SIGKILL') return; // the deadline handles its own kill
      if (code === 0 && report?.step === 'done') {
        phase = 'finish';
        return settle({ ok: true, bytesSent: report.bytes, status: null, closedByPrinter: true, elapsedMs: elapsed() });
      }
      if (report?.step === 'error') {
        phase = report.at === 'open' ? 'connect' : report.at === 'write' ? 'write' : 'finish';
        const reason = ERROR_REASONS[report.code] ?? 'FAILED';
        const hint = HINTS[reason];
        return fail(reason, `${report.message.startsWith(report.code) ? '' : `${report.code}: `}${report.message}${hint ? ` — ${hint}` : ''}`);
      }
      fail('FAILED', `the print helper ended unexpectedly (${signal ?? `exit ${code}`})`);
    });

    child.stdin!.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
}
