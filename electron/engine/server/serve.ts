/**
 * Headless transport: the built renderer over HTTP and the contract over a WebSocket, for wall
 * displays, remote seats and browser tests. Binds 127.0.0.1 unless told otherwise; a seat needs
 * the token to connect and its Origin must be ours. Each connection holds its own session: a
 * person signs in on it (or resumes the tab's session after a reconnection); until then it may
 * only view, when the engine allows anonymous viewing. The command line of this machine signs in
 * with the engine key of the runtime file.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  invokeMessageSchema,
  WS_CLOSE_FORBIDDEN_ORIGIN,
  WS_CLOSE_UNAUTHENTICATED,
  type ServerMessage,
} from '../../../shared/api';
import { dispatch } from '../api/dispatch';
import type { Engine } from '../engine';
import type { Logger } from '../ports/logger';
import type { Principal, SeatSession } from '../ports/principal';
import { rawText } from './raw-text';
import { serveStatic } from './static-files';

export interface ServeOptions {
  readonly engine: Engine;
  readonly host: string;
  readonly port: number;
  readonly rendererDir: string;
  readonly logger: Logger;
  /** Extra origins allowed to open the WebSocket, besides the origin this server serves. */
  readonly allowedOrigins?: readonly string[];
  /** Fixed credentials (tests); generated when absent. */
  readonly token?: string;
  /** The engine key the local command line signs in with (kept in the runtime file). */
  readonly operatorKey?: string;
  /** HTTPS and WSS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly operatorKey: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 256 * 1024;
/** A seat that cannot keep up misses snapshots rather than growing the engine's memory. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { engine, logger } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const operatorKey = options.operatorKey ?? randomBytes(24).toString('base64url');
  engine.sessions.allowMachineKey(operatorKey);
  let seatCounter = 0;

  const scheme = options.tls ? 'https' : 'http';
  const handle: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      // The estate's status is shown only where anyone may view it (anonymous viewing on).
      engine.sessions.authenticate({ token: null }).then(
        (who) => {
          const o = engine.overview();
          const open = who.ok && who.principal.capabilities.includes('view');
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(
              JSON.stringify(
                open ? { engine: 'running', status: o.status, revision: o.revision } : { engine: 'running' },
              ),
            );
        },
        (err: unknown) => {
          logger.error({ err }, 'health check failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    serveStatic(options.rendererDir, path).then(
      (r) => res.writeHead(r.status, r.headers).end(req.method === 'HEAD' ? undefined : r.body),
      (err: unknown) => {
        logger.error({ err }, 'static file failed');
        res.writeHead(500).end();
      },
    );
  };
  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, handle)
    : createServer(handle);

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  /** Each open seat and who is behind it now (null: nobody who may receive anything). */
  const sockets = new Map<WebSocket, { principal: Principal | null }>();

  const allowedOrigins = (port: number): Set<string> =>
    new Set([
      `${scheme}://127.0.0.1:${port}`,
      `${scheme}://localhost:${port}`,
      `${scheme}://${options.host}:${port}`,
      ...(options.allowedOrigins ?? []),
    ]);

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (url.pathname !== '/ws') {
      socket.destroy();
      return;
    }
    const port = (server.address() as AddressInfo).port;
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Browsers always send Origin; command-line seats (the CLI) send none and still need the token.
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins(port).has(origin)) {
        logger.warn({ origin }, 'WebSocket refused: origin');
        ws.close(WS_CLOSE_FORBIDDEN_ORIGIN, 'origin not allowed');
        return;
      }
      if (!sameSecret(url.searchParams.get('token'), token)) {
        logger.warn({ remote: req.socket.remoteAddress }, 'WebSocket refused: token');
        ws.close(WS_CLOSE_UNAUTHENTICATED, 'token missing or wrong');
        return;
      }
      attach(ws, `ws#${++seatCounter} ${req.socket.remoteAddress ?? ''}`.trim());
    });
  });

  const send = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(message));
  };

  function attach(ws: WebSocket, seat: string): void {
    const session: SeatSession = { token: null };
    const state: { principal: Principal | null } = { principal: null };
    let alive = true;
    sockets.set(ws, state);
    // Who may receive events is known before any arrives, and re-checked with the heartbeat so
    // a session that expires on an idle seat (a wall display) stops its events too.
    const recheck = (): void => {
      engine.sessions.authenticate(session).then(
        (who) => {
          state.principal = who.ok ? who.principal : null;
        },
        (err: unknown) => {
          state.principal = null;
          logger.warn({ err, seat }, 'session check failed');
        },
      );
    };
    recheck();
    ws.on('pong', () => {
      alive = true;
    });
    const heartbeat = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
      recheck();
    }, 15_000);
    ws.on('close', () => {
      clearInterval(heartbeat);
      sockets.delete(ws);
    });
    ws.on('error', (err) => logger.warn({ err, seat }, 'WebSocket error'));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'text messages only');
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawText(data));
      } catch {
        ws.close(1007, 'invalid JSON');
        return;
      }
      const msg = invokeMessageSchema.safeParse(parsed);
      if (!msg.success) {
        ws.close(1008, 'not an invoke message');
        return;
      }
      dispatch(
        engine.handlers,
        msg.data.channel,
        msg.data.request,
        {
          name: seat,
          session,
          onPrincipal: (p) => {
            state.principal = p;
          },
        },
        engine.sessions.authenticate,
        logger,
      ).then(
        (envelope) => send(ws, { type: 'result', id: msg.data.id, envelope }),
        (err: unknown) => logger.error({ err, seat }, 'dispatch failed'),
      );
    });
    send(ws, { type: 'hello', version: engine.version, training: engine.training });
  }

  const unsubscribe = engine.onEvent((event, payload) => {
    let whole: string | null = null;
    for (const [ws, { principal }] of sockets) {
      if (principal === null || ws.readyState !== ws.OPEN || ws.bufferedAmount >= MAX_BUFFERED_BYTES)
        continue;
      const visible = engine.scope.event(event, payload, principal);
      if (visible === null) continue;
      if (visible === payload) {
        whole ??= JSON.stringify({ type: 'event', event, payload } satisfies ServerMessage);
        ws.send(whole);
      } else ws.send(JSON.stringify({ type: 'event', event, payload: visible } satisfies ServerMessage));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':')
    ? `[${options.host}]`
    : options.host === '0.0.0.0'
      ? '127.0.0.1'
      : options.host;

  return {
    url: `${scheme}://${hostForUrl}:${port}`,
    port,
    token,
    operatorKey,
    async close() {
      unsubscribe();
      for (const ws of sockets.keys()) ws.close(1001, 'engine stopping');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
