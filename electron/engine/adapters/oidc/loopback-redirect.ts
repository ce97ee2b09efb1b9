/**
 * The loopback redirect of a native app (RFC 8252 section 7.3): a one-shot HTTP listener on
 * 127.0.0.1 and a port the system picks, open for one sign-in. The IP literal, not `localhost`
 * (section 8.3): a name can resolve elsewhere or to IPv6 while we listen on IPv4.
 *
 * The first request on the redirect path ends the wait; its query goes to the caller, who
 * answers the browser with the outcome. Any later request is refused (a second redirect never
 * counts), other paths get a 404 and do not count. Pages are static HTML with no script, under a
 * CSP that allows nothing, and no-referrer: the browser's address bar still holds the code.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OidcError } from './oidc-error';

export interface LoopbackOptions {
  /** Path registered with the provider, e.g. `/`. */
  readonly path: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** The redirect that came back, and how to answer the browser that carried it. */
export interface LoopbackCallback {
  readonly params: URLSearchParams;
  /** Sends the page (once; later calls do nothing) and closes the listener. */
  respond(outcome: 'success' | 'failure', message: string): void;
}

export interface LoopbackRedirect {
  /** `http://127.0.0.1:{port}{path}`, for the authorization request. */
  readonly redirectUri: string;
  /** The first redirect; rejects with TIMEOUT or ABORTED. */
  readonly callback: Promise<LoopbackCallback>;
  /** Stops listening (idempotent); a pending `callback` rejects with ABORTED. */
  close(): Promise<void>;
}

/** Unanswered after this long (the caller forgot), the browser gets a neutral page. */
const RESPOND_GUARD_MS = 60_000;

export async function openLoopbackRedirect(options: LoopbackOptions): Promise<LoopbackRedirect> {
  if (options.signal.aborted) throw new OidcError('ABORTED', 'sign-in cancelled');
  let consumed = false;
  let settled = false;
  let resolveCallback!: (cb: LoopbackCallback) => void;
  let rejectCallback!: (err: OidcError) => void;
  const callback = new Promise<LoopbackCallback>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  // The caller may not be awaiting yet when a timeout fires; its await still sees the rejection.
  callback.catch(() => undefined);

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err: unknown) {
      // Never throw in a listener: answer and let the sign-in time out or go on.
      if (!res.headersSent) page(res, 500, 'Vigie', 'Something went wrong. You can close this window.');
      void err;
    }
  });
  server.keepAliveTimeout = 1000;
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  let timer: NodeJS.Timeout | undefined = undefined;
  /** The browser's redirect request, while it waits for its page. */
  let pending: ((outcome: 'failure', message: string) => void) | null = null;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      if (timer !== undefined) clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if (!settled) {
        settled = true;
        rejectCallback(new OidcError('ABORTED', 'sign-in cancelled'));
      }
      pending?.('failure', 'The sign-in was cancelled.');
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return closing;
  };
  const fail = (err: OidcError): void => {
    if (settled) return;
    settled = true;
    rejectCallback(err);
    void close();
  };
  const onAbort = (): void => fail(new OidcError('ABORTED', 'sign-in cancelled'));

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const port = (server.address() as AddressInfo | null)?.port;
    // A page elsewhere can make the browser reach this port under its own name (DNS
    // rebinding): only requests addressed to the IP literal count.
    if (req.headers.host !== `127.0.0.1:${port}`) {
      page(res, 400, 'Vigie', 'Wrong address.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET' || url.pathname !== options.path) {
      page(res, 404, 'Vigie', 'Not found.');
      return;
    }
    if (consumed || settled) {
      page(res, 409, 'Vigie sign-in', 'This sign-in is already finished. You can close this window.');
      return;
    }
    consumed = true;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    let answered = false;
    const guard = setTimeout(
      () => respond('failure', 'The sign-in did not finish. Go back to Vigie.'),
      RESPOND_GUARD_MS,
    );
    function respond(outcome: 'success' | 'failure', message: string): void {
      if (answered) return;
      answered = true;
      pending = null;
      clearTimeout(guard);
      page(
        res,
        outcome === 'success' ? 200 : 400,
        outcome === 'success' ? 'Signed in to Vigie' : 'Vigie sign-in failed',
        `${message} You can close this window.`,
      );
      void close();
    }
    pending = respond;
    resolveCallback({ params: url.searchParams, respond });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: Error) =>
      reject(
        new OidcError('LISTENER', `cannot listen on 127.0.0.1: ${err.message}`, undefined, { cause: err }),
      ),
    );
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  server.on('error', () => undefined);
  const { port } = server.address() as AddressInfo;

  timer = setTimeout(
    () =>
      fail(
        new OidcError(
          'TIMEOUT',
          `no answer from the browser within ${Math.round(options.timeoutMs / 1000)} s`,
        ),
      ),
    options.timeoutMs,
  );
  options.signal.addEventListener('abort', onAbort, { once: true });

  return { redirectUri: `http://127.0.0.1:${port}${options.path}`, callback, close };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, message: string): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;margin:3em"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    connection: 'close',
  });
  res.end(body);
}
