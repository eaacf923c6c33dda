import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { classifySqliteError, isTriggerRefusal, isUniqueViolation, storageRefusesWrites } from './sqlite-errors';

const things = sqliteTable('things', { id: integer('id').primaryKey(), name: text('name').notNull(), size: integer('size') });

function database() {
  const sqlite = new Database(':memory:');
  sqlite.exec(`CREATE TABLE owners (id INTEGER PRIMARY KEY);
    CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER CHECK (size > 0), owner_id INTEGER REFERENCES owners(id));
    CREATE TRIGGER no_x BEFORE INSERT ON things WHEN NEW.name = 'x' BEGIN SELECT RAISE(ABORT, 'SLOT_HELD'); END;`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.prepare(`INSERT INTO things (name, size) VALUES ('a', 1)`).run();
  return { sqlite, orm: drizzle(sqlite) };
}

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('classifySqliteError', () => {
  it('names constraint failures from better-sqlite3, through drizzle, and wrapped as a cause', () => {
    const { sqlite, orm } = database();
    const raw = thrown(() => sqlite.prepare(`INSERT INTO things (name, size) VALUES ('a', 1)`).run());
    const wrapped = thrown(() => orm.insert(things).values({ name: 'a', size: 1 }).run());
    // drizzle's DrizzleQueryError carries the SqliteError as its cause, with a message of its own.
    const asCause = new Error('Failed query: insert into things', { cause: raw });
    for (const error of [raw, wrapped, asCause]) {
      expect(classifySqliteError(error)).toMatchObject({ kind: 'unique', columns: ['things.name'] });
      expect(isUniqueViolation(error, 'things.name')).toBe(true);
      expect(isUniqueViolation(error, 'things.size')).toBe(false);
    }
    expect(classifySqliteError(thrown(() => orm.insert(things).values({ name: 'b', size: 0 }).run()))).toMatchObject({ kind: 'check' });
    expect(classifySqliteError(thrown(() => sqlite.prepare(`INSERT INTO things (name, owner_id) VALUES ('c', 9)`).run()))).toMatchObject({
      kind: 'foreign-key',
    });
    const refused = thrown(() => orm.insert(things).values({ name: 'x' }).run());
    expect(classifySqliteError(refused)).toMatchObject({ kind: 'trigger', reason: 'SLOT_HELD' });
    expect(isTriggerRefusal(refused, 'SLOT_HELD')).toBe(true);
    expect(isTriggerRefusal(refused, 'SLOT_BOOKED')).toBe(false);
    expect(
      orm
        .select()
        .from(things)
        .where(eq(things.name, sql`'a'`))
        .all(),
    ).toHaveLength(1);
  });

  it('tells storage failures from data failures, and is null for anything else', () => {
    expect(classifySqliteError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toMatchObject({ kind: 'full' });
    expect(storageRefusesWrites(Object.assign(new Error('x'), { code: 'SQLITE_IOERR_WRITE' }))).toBe(true);
    expect(storageRefusesWrites(Object.assign(new Error('x'), { code: 'SQLITE_READONLY' }))).toBe(true);
    expect(storageRefusesWrites(Object.assign(new Error('x'), { code: 'SQLITE_CANTOPEN' }))).toBe(false);
    expect(storageRefusesWrites(new Error('x', { cause: Object.assign(new Error('x'), { code: 'SQLITE_FULL' }) }))).toBe(true);
    expect(classifySqliteError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))).toMatchObject({ kind: 'busy' });
    expect(classifySqliteError(Object.assign(new Error('x'), { code: 'SQLITE_NOTADB' }))).toMatchObject({ kind: 'damaged' });
    expect(classifySqliteError(new Error('UNIQUE constraint failed: things.name'))).toBeNull();
    expect(classifySqliteError('SQLITE_FULL')).toBeNull();
  });
});
