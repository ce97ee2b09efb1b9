/**
 * The HTTP exchange with InfluxDB's 1.x API, on node:http / node:https rather than fetch: fetch
 * cannot take a private CA per request, waits up to 300 s by default and reads bodies of any size
 * (PITFALLS.md). Every request here has a total deadline (combined with the caller's signal) and
 * a cap on the response size, and every failure becomes an UpstreamError with a code a person can
 * act on. No retries: services own them (DESIGN.md section 4).
 */
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { UpstreamError } from '../../ports/upstream-error';

/** Where and how to reach InfluxDB. */
export interface InfluxHttpOptions {
  /** Base URL of the 1.x API, e.g. `http://influx:8086` or `https://proxy/influx/`. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** InfluxDB 2.x token, sent as `Authorization: Token <token>`. */
  readonly token?: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca?: string;
  /** Total deadline of one request: connect, send, wait and read the whole body. */
  readonly timeoutMs: number;
  /** Largest response body accepted. */
  readonly maxResponseBytes: number;
  /** Named as the failing source in UpstreamErrors. */
  readonly source: string;
}

/** A complete answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

/** OpenSSL verification codes and Node's TLS codes: a certificate or protocol problem, not the network. */
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(?:GET|VERIFY)/;

function errorCode(err: unknown): string {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

/** HTTP(S) to one InfluxDB, over a keep-alive agent this object owns. */
export class InfluxHttp {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly authorization: string | undefined;

  constructor(private readonly options: InfluxHttpOptions) {
    const base = new URL(options.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new TypeError(`InfluxDB URL must be http or https: ${options.url}`);
    if (base.username !== '' || base.password !== '')
      throw new TypeError('InfluxDB URL must not carry credentials: use username/password or token');
    if (options.token !== undefined && options.username !== undefined)
      throw new TypeError('InfluxDB: give either a token or a username and password, not both');
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.base = base;
    const https_ = base.protocol === 'https:';
    this.transport = https_ ? https : http;
    this.agent = https_
      ? new https.Agent({ keepAlive: true, ...(options.ca === undefined ? {} : { ca: options.ca }) })
      : new http.Agent({ keepAlive: true });
    if (options.token !== undefined) this.authorization = `Token ${options.token}`;
    else if (options.username !== undefined)
      // Basic auth rather than the u/p query parameters, which end up in access logs.
      this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  }

  /** `origin + path` of the API, for messages. */
  get url(): string {
    return this.base.href;
  }

  /**
   * Sends one request and reads the whole answer. Rejects with UpstreamError: ABORTED (the
   * caller's signal), TIMEOUT (the deadline), TOO_LARGE (body over the cap), TLS, UNREACHABLE.
   * HTTP error statuses resolve: their meaning depends on the endpoint.
   */
  request(
    method: 'GET' | 'POST',
    path: string,
    params: Readonly<Record<string, string>>,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<HttpAnswer> {
    const { source, timeoutMs, maxResponseBytes } = this.options;
    if (signal.aborted) return Promise.reject(new UpstreamError(source, 'ABORTED', 'aborted before start'));
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, deadline]);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    if (body !== undefined) {
      headers['content-type'] = 'text/plain; charset=utf-8';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const classify = (err: unknown): UpstreamError => {
      if (err instanceof UpstreamError) return err;
      if (signal.aborted) return new UpstreamError(source, 'ABORTED', 'aborted', { cause: err });
      if (deadline.aborted)
        return new UpstreamError(source, 'TIMEOUT', `InfluxDB did not answer within ${timeoutMs} ms`, {
          cause: err,
        });
      const code = errorCode(err);
      const detail = err instanceof Error ? err.message : String(err);
      if (TLS_CODE.test(code))
        return new UpstreamError(source, 'TLS', `TLS with ${this.base.host} failed: ${detail}`, {
          cause: err,
        });
      if (NETWORK_CODES.has(code) || code === '')
        return new UpstreamError(
          source,
          'UNREACHABLE',
          `cannot reach InfluxDB at ${this.base.host}: ${detail}`,
          {
            cause: err,
          },
        );
      return new UpstreamError(source, 'UNREACHABLE', `InfluxDB at ${this.base.host}: ${detail}`, {
        cause: err,
      });
    };
    const tooLarge = (): UpstreamError =>
      new UpstreamError(source, 'TOO_LARGE', `InfluxDB's answer is larger than ${maxResponseBytes} bytes`);

    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown): void => {
        if (settled) return;
        settled = true;
        reject(classify(err));
      };
      const req = this.transport.request(
        url,
        { method, headers, agent: this.agent, signal: combined },
        (res) => {
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxResponseBytes) {
            fail(tooLarge());
            req.destroy();
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxResponseBytes) {
              fail(tooLarge());
              req.destroy();
              return;
            }
            chunks.push(chunk);
          });
          res.once('error', fail);
          res.once('end', () => {
            if (settled) return;
            settled = true;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks, size).toString('utf8'),
            });
          });
          // A connection cut before the end of the body: neither 'end' nor always 'error' follows.
          res.once('close', () => {
            // A plain error, so that a cut caused by the deadline or the caller still reads as such.
            if (!res.complete)
              fail(
                Object.assign(new Error('InfluxDB closed the connection mid-answer'), { code: 'ECONNRESET' }),
              );
          });
        },
      );
      req.once('error', fail);
      req.end(body);
    });
  }

  /** Closes the pooled connections. */
  close(): void {
    this.agent.destroy();
  }
}
