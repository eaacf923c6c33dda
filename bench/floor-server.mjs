// The floor for `npm run bench`: a bare node:http server in its own process that reads the
// request and answers with the very body the kiosk gave for the same request (set beforehand
// with PUT /__body?key=<path>). Whatever the kiosk costs beyond this is the kiosk's own work.
import { createServer } from 'node:http';

const bodies = new Map();
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if (req.method === 'PUT' && url.startsWith('/__body')) {
      bodies.set(new URLSearchParams(url.slice(q + 1)).get('key'), Buffer.concat(chunks).toString('utf8'));
      res.end('ok');
      return;
    }
    const body = bodies.get(q === -1 ? url : url.slice(0, q)) ?? '{}';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`floor listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
