// The connect gate of the ARI REST pool (lib/asterisk/connect-gate.ts), on real sockets: a burst of
// requests that each need a new connection opens them a few at a time, and a refused connect frees
// its place.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectGate } from '../../lib/asterisk/connect-gate.ts';

function get(agent: http.Agent, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

describe('ARI REST: connects to Asterisk a few at a time', () => {
  it('given 12 requests at once that each need a socket, when the gate allows 2 connects in flight, then every request is answered and never more than 2 connect at once', async () => {
    const server = http.createServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    let connections = 0;
    server.on('connection', () => { connections++; });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const gate = new ConnectGate(2);
    gate.attach(agent);
    try {
      const port = (server.address() as AddressInfo).port;
      const statuses = await Promise.all(Array.from({ length: 12 }, () => get(agent, port)));
      assert.deepEqual(statuses, Array(12).fill(200));
      assert.equal(gate.peak, 2);
      assert.equal(connections, 12, 'the pool still grows to what the burst needs');
    } finally {
      agent.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('given nothing listening, when 5 requests are sent through a gate of 1, then each fails with the refusal instead of waiting for a place', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 5 });
    new ConnectGate(1).attach(agent);
    try {
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => get(agent, port)));
      assert.deepEqual(results.map((r) => r.status === 'rejected' && (r.reason as NodeJS.ErrnoException).code), Array(5).fill('ECONNREFUSED'));
    } finally {
      agent.destroy();
    }
  });
});
