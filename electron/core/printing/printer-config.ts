/**
 * The printer set-up staff enter in the console, as a zod schema the router can use as the
 * input of printer.configure (electron/api/schemas.ts imports it at integration time).
 */
import { z } from 'zod';
import { PRINTER_PORT } from './network-printer';
import type { PrinterConfig } from './print-receipt';

/** A host name or an IPv4/IPv6 address; no scheme, path or port (the port is its own field). */
const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/,
    'a host name or an IP address',
  );

/**
 * A device node: absolute, under /dev, plain characters, no `..` step. Only while the tests run
 * (KIOSK_TEST_RUN, set by vitest's global setup) any absolute path is allowed, so a test can
 * point the printer at a FIFO or a file in its temporary folder.
 */
const DEVICE_PATH = /^\/dev\/[A-Za-z0-9/_.-]+$/;
const ANY_ABSOLUTE_PATH = /^\/[A-Za-z0-9/_.-]+$/;
const device = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((path) => (process.env.KIOSK_TEST_RUN ? ANY_ABSOLUTE_PATH : DEVICE_PATH).test(path), 'a device path under /dev, e.g. /dev/usb/lp0')
  .refine((path) => !path.split('/').includes('..'), 'no `..` in the device path');

/** 42 for 80 mm paper (Font A, 512 dots), 48 for 576-dot 80 mm heads, 32 for 58 mm. */
const columns = z.number().int().min(24).max(64).default(42);
/** The longest a booking screen waits for the printer. */
const timeoutMs = z.number().int().min(500).max(10_000).default(3000);

export const printerConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('network'),
    host,
    port: z.number().int().min(1).max(65535).default(PRINTER_PORT),
    columns,
    timeoutMs,
    statusCheck: z.enum(['require', 'best-effort', 'off']).default('require'),
  }),
  /** A USB printer through Linux usblp; no status check over USB (see usb-printer.ts). */
  z.object({ kind: z.literal('usb'), device: device.default('/dev/usb/lp0'), columns, timeoutMs }),
]);

/** Parsed set-up; typed as the PrinterConfig printReceipt takes, so the two cannot drift apart. */
export const parsePrinterConfig = (input: unknown): PrinterConfig => printerConfigSchema.parse(input);
