import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../ports/upstream-error';
import { FetchHttpProbe } from './fetch-http-probe';

let server: Server;
let base = '';
const hanging = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    else if (req.url === '/fail') res.writeHead(503).end('down');
    else if (req.url === '/huge') {
      res.writeHead(200);
      res.end(Buffer.alloc(200_000, 0x61));
    } else if (req.url === '/hang') hanging.add(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const probe = new FetchHttpProbe(64 * 1024);
const never = new AbortController().signal;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err: unknown) {
    return err instanceof UpstreamError ? err.code : 'other';
  }
}

describe('FetchHttpProbe', () => {
  it('answers 2xx and non-2xx responses with their status code and a latency', async () => {
    const ok = await probe.check(`${base}/ok`, 2000, never);
    expect(ok.statusCode).toBe(200);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(ok.serverDate).not.toBeNull();
    expect((await probe.check(`${base}/fail`, 2000, never)).statusCode).toBe(503);
  });
  it('gives up at the deadline on a server that never answers', async () => {
    expect(await codeOf(probe.check(`${base}/hang`, 200, never))).toBe('TIMEOUT');
  });
  it('refuses a body larger than the cap', async () => {
    expect(await codeOf(probe.check(`${base}/huge`, 2000, never))).toBe('TOO_LARGE');
  });
  it('reports a closed port as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await codeOf(probe.check(`http://127.0.0.1:${port}/`, 2000, never))).toBe('UNREACHABLE');
  });
  it('stops when the caller aborts', async () => {
    const ac = new AbortController();
    const pending = codeOf(probe.check(`${base}/hang`, 5000, ac.signal));
    ac.abort();
    expect(await pending).toBe('ABORTED');
  });
});
