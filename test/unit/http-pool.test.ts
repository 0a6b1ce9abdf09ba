// The ARI REST client's HTTP/1.1 pool (lib/asterisk/http-pool.ts), on real sockets: kept-alive
// sockets reused, a few connects at a time, the bodies Asterisk and other servers send (length,
// chunked, until close), a kept socket the server closed sent again once, a refused port told to
// every request.
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { HttpFailure, HttpPool } from '../../lib/asterisk/http-pool.ts';

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

function listening(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}
function closed(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
function pool(port: number, maxSockets = 8, connectsInFlight = 4): HttpPool {
  return new HttpPool({ host: '127.0.0.1', port, secure: false, maxSockets, connectsInFlight });
}

describe('ARI REST: the HTTP/1.1 pool', () => {
  it('given a burst of 12 requests that each need a socket, when 2 connects may be in flight, then every request is answered and never more than 2 connect at once', async () => {
    const server = http.createServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    await listening(server);
    const p = pool((server.address() as AddressInfo).port, 20, 2);
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => p.request(GET, undefined).answer));
      assert.deepEqual(answers.map((a) => [a.status, a.body.toString()]), Array(12).fill([200, 'ok']));
      assert.equal(p.peakConnecting, 2);
      assert.ok(p.opened <= 12, `${p.opened} sockets`);
    } finally {
      p.close();
      server.closeAllConnections();
      await closed(server);
    }
  });

  it('given 100 requests in turn, then one kept-alive socket carries them all', async () => {
    const server = http.createServer((_req, res) => res.end('{}'));
    let connections = 0;
    server.on('connection', () => { connections++; });
    const p = pool(await listening(server));
    try {
      for (let i = 0; i < 100; i++) assert.equal((await p.request(GET, undefined).answer).status, 200);
      assert.equal(connections, 1);
    } finally {
      p.close();
      server.closeAllConnections();
      await closed(server);
    }
  });

  it('given a body sent with the request, then the server reads it whole', async () => {
    let got = '';
    const server = http.createServer((req, res) => { req.setEncoding('utf8'); req.on('data', (d: string) => { got += d; }); req.on('end', () => res.end('done')); });
    const p = pool(await listening(server));
    try {
      const body = Buffer.from(JSON.stringify({ variables: { a: 'é'.repeat(3000) } }));
      const a = await p.request(`POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body).answer;
      assert.equal(a.body.toString(), 'done');
      assert.equal(got, body.toString());
    } finally {
      p.close();
      server.closeAllConnections();
      await closed(server);
    }
  });

  it('given answers split anywhere, chunked, or ended by the close, then each body is read whole', async () => {
    const server = net.createServer((socket) => {
      socket.on('data', (d: Buffer) => {
        const path = d.toString().split(' ')[1];
        if (path === '/split') {
          const whole = 'HTTP/1.1 404 Not Found\r\nContent-Length: 27\r\n\r\n{"message":"Channel gone"}\n';
          let i = 0;
          const drip = () => { if (i < whole.length) { socket.write(whole.slice(i, i + 3)); i += 3; setImmediate(drip); } };
          drip();
        } else if (path === '/chunked') {
          socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
          setTimeout(() => socket.write('6\r\n world\r\n0\r\n\r\n'), 5);
        } else {
          socket.end('HTTP/1.1 200 OK\r\n\r\nuntil close');
        }
      });
    });
    const p = pool(await listening(server));
    try {
      const split = await p.request('GET /split HTTP/1.1\r\n\r\n', undefined).answer;
      assert.deepEqual([split.status, split.statusText, split.body.toString()], [404, 'Not Found', '{"message":"Channel gone"}\n']);
      assert.equal((await p.request('GET /chunked HTTP/1.1\r\n\r\n', undefined).answer).body.toString(), 'hello world');
      assert.equal((await p.request('GET /close HTTP/1.1\r\n\r\n', undefined).answer).body.toString(), 'until close');
    } finally {
      p.close();
      await closed(server);
    }
  });

  it('given a kept socket the server closes as the next request crosses it (Asterisk after its keep-alive time), then that request is sent once again on a new socket', async () => {
    let connections = 0;
    let requests = 0;
    const server = net.createServer((socket) => {
      connections++;
      let onThis = 0;
      socket.on('data', () => {
        requests++;
        // the second request on a socket finds it closing: no answer, the socket reset
        if (++onThis === 2) socket.resetAndDestroy();
        else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
      socket.on('error', () => undefined);
    });
    const p = pool(await listening(server));
    try {
      for (let i = 0; i < 4; i++) assert.equal((await p.request(GET, undefined).answer).body.toString(), 'ok');
      assert.equal(connections, 4, 'a new socket for each request after the first');
      assert.equal(requests, 7, 'each request after the first sent twice');
    } finally {
      p.close();
      await closed(server);
    }
  });

  it('given nothing listening, when 5 requests are sent through one connect at a time, then each fails with the refusal instead of waiting', async () => {
    const server = net.createServer();
    const port = await listening(server);
    await closed(server);
    const p = pool(port, 5, 1);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => p.request(GET, undefined).answer));
    assert.deepEqual(results.map((r) => r.status === 'rejected' && (r.reason as HttpFailure).code), Array(5).fill('ECONNREFUSED'));
    p.close();
  });

  it('given a request cancelled while its answer is awaited, then it fails with the reason given and its socket is not used again', async () => {
    let connections = 0;
    let asked: () => void = () => undefined;
    const seen = new Promise<void>((r) => { asked = r; });
    const server = http.createServer((req, res) => { if (req.url === '/slow') { asked(); setTimeout(() => res.end('late'), 200); } else res.end('fast'); });
    server.on('connection', () => { connections++; });
    const p = pool(await listening(server), 1);
    try {
      const slow = p.request('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n', undefined);
      await seen;
      slow.cancel(new HttpFailure('no answer', 'ETIMEDOUT'));
      await assert.rejects(slow.answer, (e: HttpFailure) => e.code === 'ETIMEDOUT');
      assert.equal((await p.request(GET, undefined).answer).body.toString(), 'fast');
      assert.equal(connections, 2);
    } finally {
      p.close();
      server.closeAllConnections();
      await closed(server);
    }
  });
});
