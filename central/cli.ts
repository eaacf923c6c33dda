import { parseArgs } from 'node:util';
import { addLotCredential, addStaffAccount, newLotKey } from './auth';
import { createCentralServer } from './server';

/**
 * `npm run central -- --pg postgres://… [--port 4790] [--host 127.0.0.1]`
 *   [--lot-key NAME=KEY …]      issue a lot credential (KEY may be omitted: one is made and printed)
 *   [--staff NAME=PASSWORD …]   create or reset a central staff account
 * Env: CENTRAL_PG_URL (for --pg), CENTRAL_LOT_KEYS (NAME=KEY,NAME=KEY), CENTRAL_STAFF (NAME=PASSWORD).
 */
const { values } = parseArgs({
  options: {
    pg: { type: 'string', default: process.env.CENTRAL_PG_URL },
    port: { type: 'string', default: '4790' },
    host: { type: 'string', default: '127.0.0.1' },
    'lot-key': { type: 'string', multiple: true, default: [] },
    staff: { type: 'string', multiple: true, default: [] },
  },
});

if (!values.pg) {
  console.error('Give the PostgreSQL URL: --pg postgres://user@host:port/database (or CENTRAL_PG_URL).');
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  process.exit(2);
}
const pairs = (list: string[], env: string | undefined) =>
  [...list, ...(env ? env.split(',') : [])].filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
  });

process.on('uncaughtException', (error) => console.error('[central] uncaught exception (kept running):', error));
process.on('unhandledRejection', (reason) => console.error('[central] unhandled rejection (kept running):', reason));

const central = await createCentralServer({ pgUrl: values.pg });
for (const [name, given] of pairs(values['lot-key']!, process.env.CENTRAL_LOT_KEYS)) {
  const key = given || newLotKey();
  await addLotCredential(central.db, name!, key);
  if (!given) console.log(`Lot credential for "${name}": ${key}  (give it to the lot: --central-key ${key})`);
}
for (const [name, password] of pairs(values.staff!, process.env.CENTRAL_STAFF)) await addStaffAccount(central.db, name!, password!);

central.server.listen(port, values.host, () => {
  const address = central.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(`Central server listening on http://${values.host}:${actual}`);
  console.log(`  Operator console: http://${values.host}:${actual}/`);
});

const shutdown = () => {
  central.close().finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
