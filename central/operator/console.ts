import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';

/** The operator's console (server-rendered HTML). */
export async function handleConsole(_pool: Pool, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not found');
}
