/** Where Electron's binary is, without triggering its download; null when it is not installed. */
export function electronBinary(root?: string, env?: Record<string, string | undefined>): string | null;
/** Chromium refuses to run as root with its sandbox on (containers, CI). */
export function needsNoSandbox(): boolean;
