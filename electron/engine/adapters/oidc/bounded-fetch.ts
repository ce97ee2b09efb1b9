/**
 * One HTTP exchange with the provider with a total deadline and a cap on the bytes read: fetch
 * waits up to 300 s and reads bodies of any size by default (PITFALLS.md). Redirects are not
 * followed: discovery, JWKS and token endpoints are configured or published as final URLs, and a
 * followed redirect could carry a token request elsewhere.
 */
import { OidcError, type OidcErrorCode } from './oidc-error';

export interface BoundedRequest {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Deadline of the whole exchange, ms. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly signal: AbortSignal;
  /** Code of the error thrown when the exchange fails (DISCOVERY for metadata, TOKEN for tokens). */
  readonly failCode: OidcErrorCode;
  /** What is being fetched, for messages ("discovery document", "JWKS"). */
  readonly what: string;
}

export interface BoundedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export async function boundedFetch(url: string, req: BoundedRequest): Promise<BoundedResponse> {
  const fail = (message: string, cause?: unknown): OidcError =>
    new OidcError(req.failCode, `${req.what}: ${message}`, undefined, { cause });
  if (req.signal.aborted) throw new OidcError('ABORTED', `${req.what}: cancelled`);
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = AbortSignal.any([req.signal, deadline]);
  try {
    const init: RequestInit = { method: req.method ?? 'GET', signal, redirect: 'manual' };
    if (req.headers) init.headers = req.headers;
    if (req.body !== undefined) init.body = req.body;
    const response = await fetch(url, init);
    const text = await readCapped(response, req.maxBytes, () =>
      fail(`answer larger than ${req.maxBytes} bytes`),
    );
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text,
    };
  } catch (err: unknown) {
    if (err instanceof OidcError) throw err;
    if (req.signal.aborted)
      throw new OidcError('ABORTED', `${req.what}: cancelled`, undefined, { cause: err });
    if (deadline.aborted) throw fail(`no answer within ${req.timeoutMs} ms`, err);
    const cause = err instanceof Error ? err.cause : undefined;
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : '';
    throw fail(code ? `unreachable (${code})` : 'unreachable', err);
  }
}

async function readCapped(response: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  if (!response.body) return '';
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel();
    throw tooLarge();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (chunk.done || chunk.value === undefined) break;
      received += chunk.value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * JSON of an answer, or the error `fail` builds. Parsed values go through zod schemas that strip
 * unknown keys before anything reads them (`__proto__` keys, PITFALLS.md).
 */
export function parseJson(text: string, fail: (message: string) => OidcError): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err: unknown) {
    if (err instanceof SyntaxError) throw fail('the answer is not JSON');
    throw err;
  }
}
