import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type RunningHealthServer } from './health-server';
import type { ServiceOutcome } from './simulation';
import { FakeClock } from './test-support/fake-clock';

describe('startHealthServer', () => {
  const servers: RunningHealthServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function start(
    clock: FakeClock,
    outcomes: ServiceOutcome[] = [],
    errors: Error[] = [],
  ): Promise<string> {
    const server = await startHealthServer({
      host: '127.0.0.1',
      clock,
      zoneId: 'zone-a',
      serviceIds: ['a-api-gw', 'a-batch'],
      respond: () => outcomes.shift() ?? { latencyMs: 10, failing: false, status: 'ok' },
      onError: (e) => errors.push(e),
    });
    servers.push(server);
    return `http://127.0.0.1:${server.port}`;
  }

  it('answers a health check with JSON only once the simulated latency has passed', async () => {
    const clock = new FakeClock();
    const base = await start(clock, [{ latencyMs: 85, failing: false, status: 'ok' }]);
    let answered = false;
    const response = fetch(`${base}/a-api-gw/health`).then((r) => {
      answered = true;
      return r;
    });
    await clock.whenPending(1);
    expect(clock.pendingDelays()).toEqual([85]);
    clock.advance(84);
    // The timer has not fired: nothing was written yet.
    expect(clock.pendingDelays()).toEqual([85]);
    expect(answered).toBe(false);
    clock.advance(1);
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ service: 'a-api-gw', status: 'ok', zone: 'zone-a' });
    expect(res.headers.get('date')).toBe(new Date(clock.now()).toUTCString());
  });

  it('answers 503 with a degraded status when the request fails', async () => {
    const clock = new FakeClock();
    const base = await start(clock, [{ latencyMs: 400, failing: true, status: 'degraded' }]);
    const response = fetch(`${base}/a-batch/health`);
    await clock.whenPending(1);
    clock.advance(400);
    const res = await response;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ service: 'a-batch', status: 'degraded', zone: 'zone-a' });
  });

  it('answers 404 at once for unknown paths and services of other zones', async () => {
    const base = await start(new FakeClock());
    for (const path of ['/', '/a-api-gw', '/a-api-gw/health/extra', '/b-api-gw/health', '/A-API-GW/health']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found' });
    }
  });

  it('answers 405 with Allow for methods other than GET and HEAD', async () => {
    const base = await start(new FakeClock());
    const res = await fetch(`${base}/a-api-gw/health`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    await res.arrayBuffer();
  });

  it('closes keep-alive connections and requests still waiting on stop', async () => {
    const clock = new FakeClock();
    const server = await startHealthServer({
      host: '127.0.0.1',
      clock,
      zoneId: 'zone-a',
      serviceIds: ['a-api-gw'],
      respond: () => ({ latencyMs: 50, failing: false, status: 'ok' }),
      onError: () => undefined,
    });
    const url = `http://127.0.0.1:${server.port}/a-api-gw/health`;
    const first = fetch(url);
    await clock.whenPending(1);
    clock.advance(50);
    await (await first).text(); // the connection now idles in fetch's keep-alive pool
    const waiting = fetch(url);
    await clock.whenPending(1);
    await server.close();
    await expect(waiting).rejects.toThrow();
    expect(clock.pendingDelays()).toEqual([]);
    await expect(fetch(url)).rejects.toThrow();
  });
});
