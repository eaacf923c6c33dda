/**
 * A ReceiptKeyStore in one JSON file under the data dir (e.g. <dataDir>/receipt-keys.json),
 * readable only by the kiosk's user. Written atomically (temp file, fsync, rename, fsync of
 * the folder) so a power cut leaves the old file or the new one, never half of one.
 *
 * A file that exists but cannot be read is an error, never "no keys yet": making a new key
 * silently would leave every receipt printed so far unverifiable.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureDir, fsyncDir, fsyncPath } from '../backup/files';
import { putInto, ReceiptKeyError, type ReceiptKeyStore, type StoredReceiptKey } from './keys';

interface KeyFile {
  format: 1;
  keys: StoredReceiptKey[];
}

export const RECEIPT_KEY_FILE = 'receipt-keys.json';

export class FileReceiptKeyStore implements ReceiptKeyStore {
  constructor(readonly path: string) {}

  static inDataDir(dataDir: string): FileReceiptKeyStore {
    return new FileReceiptKeyStore(join(dataDir, RECEIPT_KEY_FILE));
  }

  list(): StoredReceiptKey[] {
    return this.read().keys;
  }

  put(key: StoredReceiptKey): void {
    const file = this.read();
    putInto(file.keys, key);
    this.write(file);
  }

  private read(): KeyFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, keys: [] };
      throw new ReceiptKeyError(`receipt keys cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ReceiptKeyError(`receipt key file ${this.path} is damaged; restore it from a backup`);
    }
    const file = parsed as Partial<KeyFile>;
    if (file.format !== 1 || !Array.isArray(file.keys) || !file.keys.every(isStoredKey)) {
      throw new ReceiptKeyError(`receipt key file ${this.path} is not in a known format`);
    }
    return file as KeyFile;
  }

  private write(file: KeyFile): void {
    const temp = `${this.path}.tmp`;
    ensureDir(dirname(this.path));
    writeFileSync(temp, JSON.stringify(file, null, 2), { mode: 0o600 });
    fsyncPath(temp);
    renameSync(temp, this.path);
    fsyncDir(dirname(this.path));
  }
}

const isStoredKey = (k: unknown): k is StoredReceiptKey => {
  const key = k as Partial<StoredReceiptKey> | null;
  return (
    typeof key === 'object' &&
    key !== null &&
    typeof key.keyId === 'string' &&
    typeof key.publicKey === 'string' &&
    typeof key.label === 'string' &&
    typeof key.createdAtMs === 'number' &&
    (key.privateKeyPem === undefined || typeof key.privateKeyPem === 'string') &&
    (key.retiredAtMs === undefined || typeof key.retiredAtMs === 'number')
  );
};
