import { createServer, type Server } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import pg from 'pg';
import { findLotCredential, LoginThrottle } from './auth';
import { centralDb, type CentralDb } from './db/client';
import { migrateCentral } from './db/migrate';
import { handleConsole } from './operator/console';
import { centralRouter } from './router';

export interface CentralServer {
  server: Server;
  pool: pg.Pool;
  /** The store as drizzle sees it (over `pool`). */
  db: CentralDb;
  close(): Promise<void>;
}

/** The central server: tRPC for lots under /trpc/, the operator's console everywhere else. */
export async function createCentralServer(options: { pgUrl: string; poolSize?: number }): Promise<CentralServer> {
  const pool = new pg.Pool({ connectionString: options.pgUrl, max: options.poolSize ?? 10 });
  // A dropped PostgreSQL connection is reported by the query that used it; this keeps an idle one from crashing us.
  pool.on('error', (error) => console.error('[central] idle PostgreSQL connection failed:', error.message));
  await migrateCentral(pool);
  const db = centralDb(pool);
  const trpc = createHTTPHandler({
    router: centralRouter,
    basePath: '/trpc/',
    maxBodySize: 32 * 1024 * 1024,
    createContext: async ({ req }) => {
      const header = req.headers.authorization ?? '';
      const key = header.startsWith('Bearer ') ? header.slice(7) : '';
      return { db, lot: key ? await findLotCredential(db, key) : null };
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[central] ${path}:`, error.cause ?? error);
    },
  });
  // This server's own count of wrong console passwords (central/auth.ts).
  const loginThrottle = new LoginThrottle();
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/trpc/')) return trpc(req, res);
    handleConsole(db, loginThrottle, req, res).catch((error: unknown) => {
      console.error('[central] console:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('The console failed to answer; see the server log.');
    });
  });
  return {
    server,
    pool,
    db,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
