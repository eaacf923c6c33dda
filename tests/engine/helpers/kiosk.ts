import type Database from 'better-sqlite3';
import { TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { ZodError } from 'zod';
import type { TestKiosk } from '../../support/core';

/** Adds a lot with its own booking length and `count` car slots; returns the lot and slot ids. */
export function addLot(
  sqlite: Database.Database,
  options: { name?: string; bookingMinutes?: number; carWashPrice?: number; hourlyPrice?: number; count?: number; vehicleType?: string } = {},
): { lotId: number; slotIds: number[] } {
  const lotId = Number(
    sqlite
      .prepare(`INSERT INTO lots (name, currency, booking_minutes, car_wash_price, created_at) VALUES (?, 'INR', ?, ?, 0)`)
      .run(options.name ?? `Lot ${Math.random().toString(36).slice(2, 8)}`, options.bookingMinutes ?? 60, options.carWashPrice ?? 15000).lastInsertRowid,
  );
  const insert = sqlite.prepare(`INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, enabled, position, created_at) VALUES (?, ?, ?, ?, 1, ?, 0)`);
  const slotIds: number[] = [];
  // One transaction: with synchronous=FULL every autocommit insert would be its own fsync.
  sqlite.transaction(() => {
    for (let i = 0; i < (options.count ?? 4); i += 1) {
      slotIds.push(Number(insert.run(lotId, `X${i + 1}`, options.vehicleType ?? 'car', options.hourlyPrice ?? 6000, i).lastInsertRowid));
    }
  })();
  return { lotId, slotIds };
}

/**
 * Sets a lot's grace after a flat-rate stay (issue 12, default 10 minutes). Tests whose intent is
 * not the grace set 0 here, so a slot frees exactly at a booking's end as they assert.
 */
export function setLotGrace(sqlite: Database.Database, lotId: number, minutes: number): void {
  sqlite.prepare('UPDATE lots SET grace_minutes = ? WHERE id = ?').run(minutes, lotId);
}

/** A distinct, valid plate per number: KA-01-AB-0001, KA-01-AB-0002, ... */
export const plate = (n: number) => `KA-${String(Math.floor(n / 10000) + 1).padStart(2, '0')}-AB-${String(n % 10000).padStart(4, '0')}`;

/** The tRPC error code of a rejected call (in-process TRPCError or HTTP TRPCClientError). */
export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string; fromZod?: boolean }> {
  try {
    await promise;
  } catch (error) {
    // In-process callers skip the error formatter, so a zod failure's message is raw there;
    // over HTTP (tested separately) it is the formatted, human one.
    if (error instanceof TRPCError) return { code: error.code, message: error.message, fromZod: error.cause instanceof ZodError };
    if (error instanceof TRPCClientError) return { code: String(error.data?.code), message: error.message };
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Asserts a call fails with `code` and a message written for a person (a sentence, no JSON or stack). */
export async function expectError(promise: Promise<unknown>, code: string, messagePattern?: RegExp): Promise<string> {
  const { code: actual, message, fromZod } = await errorOf(promise);
  expect(actual, message).toBe(code);
  if (!fromZod) expectHumanMessage(message);
  if (messagePattern) expect(message).toMatch(messagePattern);
  return message;
}

export function expectHumanMessage(message: string): void {
  expect(message.length).toBeGreaterThan(8);
  expect(message).toMatch(/[A-Za-z]{3,}/);
  expect(message).not.toMatch(/^\s*[[{]/);
  expect(message).not.toMatch(/SQLITE|constraint|undefined|\bat \w+ \(|TypeError|ZodError/i);
}

export const slotOf = async (kiosk: TestKiosk, slotId: number) => (await kiosk.caller().slot.list({})).find((s) => s.id === slotId)!;
