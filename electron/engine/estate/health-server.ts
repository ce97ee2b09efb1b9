/**
 * One zone's service health endpoints on a free loopback TCP port (node:http).
 * `GET /<service-id>/health` answers `{ service, status, zone }` after the latency the simulation
 * chose, with 200, or 503 when the request fails; anything else is 404 (405 for other methods).
 * The latency is waited for on the injected Clock, so a fake clock decides when answers leave.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../ports/clock';
import { EstateError } from './estate-error';
import type { ServiceOutcome } from './simulation';

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  readonly host: string;
  readonly clock: Clock;
  readonly zoneId: string;
  readonly serviceIds: readonly string[];
  /** Decides one request of a service (called once per request, in arrival order). */
  readonly respond: (serviceId: string, now: number) => ServiceOutcome;
  /** Problems met while serving; never throws back. */
  readonly onError: (error: Error) => void;
}

export interface RunningHealthServer {
  readonly port: number;
  /** Cancels pending answers, closes every connection (keep-alive included) and the listener. */
  close(): Promise<void>;
}

/** Body of a health answer. */
export interface HealthBody {
  readonly service: string;
  readonly status: 'ok' | 'degraded';
  readonly zone: string;
}

const HEALTH_PATH = /^\/([a-z0-9][a-z0-9-]{0,62})\/health$/;

/**
 * Starts one zone's health server on a free TCP port of `host` (the kernel picks it: node:http
 * reports the bound port, unlike net-snmp). Rejects with EstateError `PORT_UNAVAILABLE`.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<RunningHealthServer> {
  const { host, clock, zoneId, respond, onError } = options;
  const services = new Set(options.serviceIds);
  /** Cancel functions of answers still waiting for their latency. */
  const pending = new Set<() => void>();

  const send = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    statusCode: number,
    body: unknown,
    extraHeaders: Record<string, string> = {},
  ): void => {
    // The client may have gone away while the answer waited.
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(statusCode, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      // From the injected clock, so clock-skew checks agree with the simulated time.
      Date: new Date(clock.now()).toUTCString(),
      ...extraHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    // Health checks carry no body; drain anything sent so the connection can be reused.
    req.resume();
    const path = new URL(req.url ?? '/', 'http://estate.invalid').pathname;
    const serviceId = HEALTH_PATH.exec(path)?.[1];
    if (serviceId === undefined || !services.has(serviceId)) {
      send(req, res, 404, { error: 'not found' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, { error: 'method not allowed' }, { Allow: 'GET, HEAD' });
      return;
    }
    const outcome = respond(serviceId, clock.now());
    const body: HealthBody = { service: serviceId, status: outcome.status, zone: zoneId };
    let settled = false;
    const cancel = clock.setTimeout(() => {
      settled = true;
      pending.delete(cancel);
      send(req, res, outcome.failing ? 503 : 200, body);
    }, outcome.latencyMs);
    pending.add(cancel);
    res.once('close', () => {
      if (settled) return;
      // Client gave up before the answer was due: release the timer now.
      settled = true;
      cancel();
      pending.delete(cancel);
    });
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err: unknown) {
      onError(new Error('training estate: health request failed', { cause: err }));
      if (!res.headersSent) send(req, res, 500, { error: 'internal error' });
      else res.destroy();
    }
  });
  server.on('clientError', (err, socket) => {
    onError(new Error('training estate: bad HTTP request', { cause: err }));
    socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const onListenError = (err: Error): void => reject(err);
      server.once('error', onListenError);
      server.listen(0, host, () => {
        server.off('error', onListenError);
        resolve();
      });
    });
  } catch (err: unknown) {
    throw new EstateError('PORT_UNAVAILABLE', `cannot listen for health checks on ${host}`, { cause: err });
  }
  server.on('error', (err) => onError(new Error('training estate: health server error', { cause: err })));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') {
    server.close();
    throw new EstateError('START_FAILED', 'health server is not listening on a TCP port');
  }
  const { port } = address;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve, reject) => {
      for (const cancel of pending) cancel();
      pending.clear();
      server.close((err) => (err ? reject(err) : resolve()));
      // close() only stops accepting; idle keep-alive sockets and requests still waiting for their
      // latency would hold it open, so every connection is ended now.
      server.closeAllConnections();
    }));

  return { port, close };
}
