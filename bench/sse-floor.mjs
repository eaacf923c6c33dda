// The floor for bench/watchers.ts's fan-out: a bare node:net server that answers every GET
// with an SSE response head and a first event, and on `POST /change` writes one pre-framed
// chunk (the same Buffer) to every open stream. Nothing else: no HTTP parser, no auth, no JSON.
import { createServer } from 'node:net';

const head = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n';
const chunk = (text) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
const first = Buffer.from(head + chunk(`data: {"status":"booked"}\n\n\n`));
const change = Buffer.from(chunk(`data: {"status":"booked","addOns":[{"kind":"car_wash"}],"pad":"${'x'.repeat(440)}"}\n\n\n`));
const streams = new Set();

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.once('data', (request) => {
    if (request.toString('latin1').startsWith('POST /change')) {
      for (const stream of streams) stream.write(change);
      socket.end('HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n');
      return;
    }
    streams.add(socket);
    socket.on('close', () => streams.delete(socket));
    socket.write(first);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`floor listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
