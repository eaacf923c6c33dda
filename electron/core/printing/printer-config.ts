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
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/, 'a host name or an IP address');

export const printerConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('network'),
    host,
    port: z.number().int().min(1).max(65535).default(PRINTER_PORT),
    /** 42 for 80 mm paper (Font A, 512 dots), 48 for 576-dot 80 mm heads, 32 for 58 mm. */
    columns: z.number().int().min(24).max(64).default(42),
    /** The longest a booking screen waits for the printer. */
    timeoutMs: z.number().int().min(500).max(10_000).default(3000),
    statusCheck: z.enum(['require', 'best-effort', 'off']).default('require'),
  }),
]);

/** Parsed set-up; typed as the PrinterConfig printReceipt takes, so the two cannot drift apart. */
export const parsePrinterConfig = (input: unknown): PrinterConfig => printerConfigSchema.parse(input);
