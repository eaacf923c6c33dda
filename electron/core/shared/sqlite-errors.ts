/**
 * The one place that reads SQLite's errors. better-sqlite3 throws `SqliteError` with an
 * extended result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_FULL`, ...); drizzle wraps it in a
 * `DrizzleQueryError` whose `cause` is the original. Rules ask what kind of failure it was,
 * never match message text themselves.
 */
export type SqliteFailure =
  /** A UNIQUE or PRIMARY KEY constraint; `columns` as SQLite names them, e.g. ['staff.name']. */
  | { kind: 'unique'; code: string; columns: string[] }
  | { kind: 'foreign-key'; code: string }
  | { kind: 'check'; code: string; detail: string }
  | { kind: 'not-null'; code: string; columns: string[] }
  /** A trigger's RAISE(ABORT, 'REASON'): `reason` is that text (our migrations use stable words). */
  | { kind: 'trigger'; code: string; reason: string }
  | { kind: 'full'; code: string }
  | { kind: 'read-only'; code: string }
  | { kind: 'io-error'; code: string }
  | { kind: 'damaged'; code: string }
  | { kind: 'busy'; code: string }
  | { kind: 'other'; code: string };

export type SqliteFailureKind = SqliteFailure['kind'];

/** The SQLite error inside `error` (unwrapping drizzle's query error), or null. */
function sqliteError(error: unknown): { code: string; message: string } | null {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_'))
      return {
        code,
        message: String((e as { message?: unknown }).message ?? ''),
      };
  }
  return null;
}

const columnsOf = (message: string) =>
  (message.split('constraint failed:')[1] ?? '')
    .split(',')
    .map((column) => column.trim())
    .filter(Boolean);

/** What kind of SQLite failure `error` is, or null when it is not one. */
export function classifySqliteError(error: unknown): SqliteFailure | null {
  const found = sqliteError(error);
  if (!found) return null;
  const { code, message } = found;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { kind: 'unique', code, columns: columnsOf(message) };
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign-key', code };
  if (code === 'SQLITE_CONSTRAINT_CHECK')
    return {
      kind: 'check',
      code,
      detail: message.split('constraint failed:')[1]?.trim() ?? '',
    };
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') return { kind: 'not-null', code, columns: columnsOf(message) };
  if (code === 'SQLITE_CONSTRAINT_TRIGGER') return { kind: 'trigger', code, reason: message.trim() };
  if (code.startsWith('SQLITE_FULL')) return { kind: 'full', code };
  if (code.startsWith('SQLITE_READONLY')) return { kind: 'read-only', code };
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return { kind: 'io-error', code };
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return { kind: 'damaged', code };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { kind: 'busy', code };
  return { kind: 'other', code };
}

/** A UNIQUE constraint on `column` (as SQLite names it: 'table.column') failed. */
export const isUniqueViolation = (error: unknown, column: string): boolean => {
  const failure = classifySqliteError(error);
  return failure?.kind === 'unique' && failure.columns.includes(column);
};

/** A trigger refused the write with RAISE(ABORT, reason). */
export const isTriggerRefusal = (error: unknown, reason: string): boolean => {
  const failure = classifySqliteError(error);
  return failure?.kind === 'trigger' && failure.reason === reason;
};

const STORAGE_KINDS = new Set<SqliteFailureKind>(['full', 'read-only', 'io-error', 'damaged', 'busy']);

/** A failure of the storage itself (not of the data): full, read-only, I/O, damage, busy. */
export function storageFailure(error: unknown):
  | (SqliteFailure & {
      kind: 'full' | 'read-only' | 'io-error' | 'damaged' | 'busy';
    })
  | null {
  const failure = classifySqliteError(error);
  return failure && STORAGE_KINDS.has(failure.kind)
    ? (failure as SqliteFailure & {
        kind: 'full' | 'read-only' | 'io-error' | 'damaged' | 'busy';
      })
    : null;
}

/** Disk full, read-only file or I/O error: writes cannot succeed, reads still can. */
export const storageRefusesWrites = (error: unknown): boolean => {
  const failure = classifySqliteError(error);
  // Not SQLITE_CANTOPEN: a file that cannot be opened is not a running kiosk's write failing.
  return failure !== null && /^SQLITE_(FULL|READONLY|IOERR)/.test(failure.code);
};

/** SQLite says the file itself is damaged (corrupt, or not a database). */
export const isDamage = (error: unknown): boolean => classifySqliteError(error)?.kind === 'damaged';
