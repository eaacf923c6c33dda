/** Where Electron's binary is, without triggering its download; null when it is not installed. */
export function electronBinary(root?: string, env?: Record<string, string | undefined>): string | null;
/** Chromium refuses to run as root with its sandbox on (containers, CI). */
export function needsNoSandbox(): boolean;
/** Is there a better-sqlite3 built for Electron's ABI (KIOSK_SQLITE_BINDING, resources/native, or a rebuilt node_modules)? */
export function electronSqliteAvailable(root?: string, env?: Record<string, string | undefined>): boolean;
