import type Database from 'better-sqlite3';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Ids are never handed out twice, even when the database file is replaced by an older copy
 * (start-up recovery, a restore with the server stopped) or a crash loses its tail. Beside the
 * database, `<db>-ids.json` keeps a ceiling per AUTOINCREMENT table: ids are reserved in
 * blocks of RESERVE_BLOCK ahead of use, and a file that was not shut down cleanly, or whose
 * counters do not match the clean shutdown record, starts counting above the ceiling.
 * The file names nothing secret (table names and numbers).
 *
 * Hand-written SQL on purpose (issue 11): it reads and lifts SQLite's own sqlite_sequence for
 * every AUTOINCREMENT table generically, which no domain store owns.
 */
export const RESERVE_BLOCK = 1000;

interface FloorRecord {
  /** Ids below these are (or may have been) issued. */
  ceilings: Record<string, number>;
  /** The exact counters at a clean shutdown; absent while the kiosk runs. */
  cleanAt?: Record<string, number>;
}

export const idFloorFile = (dbFile: string) => `${dbFile}-ids.json`;

export class IdFloor {
  private ceilings: Record<string, number> = {};
  private readonly readSequences: Database.Statement<[], { name: string; seq: number }>;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly file: string | null,
  ) {
    this.readSequences = sqlite.prepare('SELECT name, seq FROM sqlite_sequence');
  }

  private sequences(): Record<string, number> {
    return Object.fromEntries(this.readSequences.all().map((row) => [row.name, row.seq]));
  }

  /** At open: lift every counter above anything that may have been issued before, then reserve. */
  open(): void {
    if (!this.file) return;
    const record = this.load();
    const now = this.sequences();
    const clean = record.cleanAt !== undefined && Object.entries(now).every(([name, seq]) => record.cleanAt![name] === seq);
    if (!clean) this.raise(record.ceilings);
    this.ceilings = { ...record.ceilings };
    this.reserve(true);
  }

  /** Raises counters to at least the given values (one transaction). */
  raise(floors: Record<string, number>): void {
    const tables = new Set((this.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name));
    const update = this.sqlite.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?');
    const insert = this.sqlite.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)');
    this.sqlite.transaction(() => {
      for (const [name, floor] of Object.entries(floors)) {
        if (!tables.has(name)) continue;
        if (update.run(floor, name).changes === 0) insert.run(name, floor);
      }
    })();
  }

  /** After each write: when a counter nears its ceiling, reserve the next block first. */
  check(): void {
    if (!this.file) return;
    const now = this.sequences();
    if (Object.entries(now).some(([name, seq]) => seq + RESERVE_BLOCK / 2 > (this.ceilings[name] ?? 0))) this.reserve(false);
  }

  /** Clean shutdown: record the exact counters so the next start need not skip a block. */
  close(): void {
    if (!this.file || !this.sqlite.open) return;
    this.write({ ceilings: this.ceilings, cleanAt: this.sequences() });
  }

  private reserve(force: boolean): void {
    const now = this.sequences();
    let changed = force;
    for (const [name, seq] of Object.entries(now)) {
      const wanted = seq + RESERVE_BLOCK;
      if ((this.ceilings[name] ?? 0) < seq + RESERVE_BLOCK / 2) {
        this.ceilings[name] = Math.max(this.ceilings[name] ?? 0, wanted);
        changed = true;
      }
    }
    if (changed) this.write({ ceilings: this.ceilings });
  }

  private load(): FloorRecord {
    if (!this.file || !existsSync(this.file)) return { ceilings: {} };
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as FloorRecord;
      return { ceilings: parsed.ceilings ?? {}, cleanAt: parsed.cleanAt };
    } catch {
      return { ceilings: {} };
    }
  }

  private write(record: FloorRecord): void {
    // One partial file per process: two servers on one database (tests/reliability/races-holds)
    // may reserve at the same moment, and a shared name let one rename the other's file away.
    const partial = `${this.file}.${process.pid}.partial`;
    // The reservation must be on disk before the ids it covers can be issued.
    writeFileSync(partial, JSON.stringify(record), { flush: true });
    renameSync(partial, this.file!);
  }
}
