import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/client';
import { DEFAULT_KEEP, preMigrationBackup, restoreIntoFile, restoreIntoLive, takeBackup } from '../core/backup/backups';
import { backupByName, backupDirFor, listBackupFiles } from '../core/backup/files';
import { checkDatabaseFile } from '../core/backup/integrity';
import { openRaw } from '../core/backup/sqlite-driver';

const USAGE = `Backups of the kiosk database.

  npm run backup -- list    [--db kiosk.db]            the backups, newest first
  npm run backup -- create  [--db kiosk.db]            take an online backup now (safe while the kiosk runs)
  npm run backup -- check   [--db kiosk.db]            PRAGMA integrity_check on the database
  npm run backup -- restore [--db kiosk.db] --from NAME_OR_FILE
        Stop the kiosk first. The current state is backed up (kind pre-restore) before it is
        replaced; a database too damaged to open is moved aside instead, never deleted.

Options: --dir FOLDER (default: <db stem>-backups beside the db), --keep N (default ${DEFAULT_KEEP} per kind).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'kiosk.db' },
    dir: { type: 'string' },
    from: { type: 'string' },
    keep: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const dbFile = resolve(values.db!);
const dir = values.dir ? resolve(values.dir) : backupDirFor(dbFile);
const keep = values.keep === undefined ? DEFAULT_KEEP : Number(values.keep);
const command = positionals[0];

async function main(): Promise<number> {
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (!Number.isInteger(keep) || keep < 1) {
    console.error('--keep must be a whole number of 1 or more.');
    return 2;
  }
  switch (command) {
    case 'list': {
      const files = listBackupFiles(dir);
      if (files.length === 0) console.log(`No backups in ${dir}.`);
      for (const file of files) console.log(`${file.name}\t${file.kind}\t${new Date(file.takenAt).toISOString()}\t${file.bytes} bytes`);
      return 0;
    }
    case 'check': {
      const verdict = checkDatabaseFile(dbFile, 'full');
      console.log(verdict.ok ? `${dbFile}: integrity_check ok` : `${dbFile}: FAILED: ${verdict.problem}`);
      return verdict.ok ? 0 : 1;
    }
    case 'create': {
      if (!existsSync(dbFile)) {
        console.error(`There is no database at ${dbFile}.`);
        return 1;
      }
      const sqlite = openRaw(dbFile, { fileMustExist: true });
      sqlite.pragma('busy_timeout = 5000');
      try {
        const file = await takeBackup(sqlite, { dbFile, dir, keep }, 'manual', Date.now());
        console.log(`Backup written: ${file.path} (${file.bytes} bytes)`);
        return 0;
      } finally {
        sqlite.close();
      }
    }
    case 'restore': {
      if (!values.from) {
        console.error('Say which backup: --from NAME (see `npm run backup -- list`) or --from path/to/file.db');
        return 2;
      }
      const source = backupByName(dir, values.from)?.path ?? (existsSync(values.from) ? resolve(values.from) : undefined);
      if (!source) {
        console.error(`There is no backup called ${values.from} in ${dir}, nor such a file.`);
        return 1;
      }
      const healthy = existsSync(dbFile) && checkDatabaseFile(dbFile, 'quick').ok;
      if (!healthy) {
        const { setAsidePath } = restoreIntoFile(source, dbFile, Date.now(), 'damaged');
        if (setAsidePath) console.log(`The current database failed its check; it was moved to ${setAsidePath}.`);
        console.log(`Restored ${source} into ${dbFile}.`);
        return 0;
      }
      const db = openDatabase({ file: dbFile, beforeMigrate: preMigrationBackup({ dbFile, dir, keep }) });
      try {
        const safety = await takeBackup(db.sqlite, { dbFile, dir, keep }, 'pre-restore', Date.now());
        console.log(`Current state saved first: ${safety.path}`);
        const { rows } = restoreIntoLive(db.sqlite, source, dir);
        console.log(`Restored ${source} into ${dbFile} (${rows} rows).`);
        return 0;
      } finally {
        db.close();
      }
    }
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
