import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type KioskDatabase } from '../../../db/client';
import { type DomainError } from '../shared/errors';
import { createThrottle } from './throttle';

let db: KioskDatabase | undefined;
afterEach(() => db?.close());

const policy = { maxFailures: 3, windowMs: 60_000, lockMs: 120_000 };
const open = () => {
  db = openDatabase({ file: join(mkdtempSync(join(tmpdir(), 'throttle-')), 't.db') });
  return createThrottle(db.sqlite);
};
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'open';
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('throttle', () => {
  it('locks a key after maxFailures inside the window, for lockMs, then opens again', () => {
    const throttle = open();
    throttle.recordFailure('k', 0, policy);
    throttle.recordFailure('k', 1000, policy);
    expect(codeOf(() => throttle.assertOpen('k', 2000))).toBe('open');
    throttle.recordFailure('k', 2000, policy);
    expect(codeOf(() => throttle.assertOpen('k', 2001))).toBe('TOO_MANY_REQUESTS');
    expect(codeOf(() => throttle.assertOpen('k', 2000 + policy.lockMs - 1))).toBe('TOO_MANY_REQUESTS');
    expect(codeOf(() => throttle.assertOpen('k', 2000 + policy.lockMs))).toBe('open');
    expect(codeOf(() => throttle.assertOpen('other', 2001))).toBe('open');
  });

  it('forgets failures older than the window', () => {
    const throttle = open();
    throttle.recordFailure('k', 0, policy);
    throttle.recordFailure('k', 1000, policy);
    throttle.recordFailure('k', policy.windowMs + 5000, policy);
    expect(codeOf(() => throttle.assertOpen('k', policy.windowMs + 5001))).toBe('open');
  });

  it('says how long to wait in whole minutes', () => {
    const throttle = open();
    for (let i = 0; i < 3; i += 1) throttle.recordFailure('k', 0, policy);
    try {
      throttle.assertOpen('k', 30_000);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('Too many wrong attempts. Please try again in 2 minutes.');
    }
  });

  it('keeps its counts in the database, across connections', () => {
    open();
    const file = db!.file;
    for (let i = 0; i < 3; i += 1) createThrottle(db!.sqlite).recordFailure('k', 0, policy);
    const other = new Database(file);
    try {
      expect(codeOf(() => createThrottle(other).assertOpen('k', 1))).toBe('TOO_MANY_REQUESTS');
    } finally {
      other.close();
    }
  });
});
