/**
 * WebhookSender on Node's fetch: one JSON POST with an `Idempotency-Key` header, so that an ITSM
 * tool (ServiceNow, a ticketing API) can drop a retried notice it already has. fetch waits up to
 * 300 s and reads bodies of any size by default (PITFALLS.md): here the whole exchange has a
 * deadline and at most `maxResponseBytes` of the answer are read, the rest cancelled.
 * Redirects are not followed: a POST silently turned into a GET elsewhere (301/302, RFC 9110
 * section 15.4) would lose the notice, and a redirect could carry the Authorization header to
 * another host; the configured URL must be the final one.
 */
import {
  NotificationRejectedError,
  type NotificationErrorCode,
  type WebhookDelivery,
  type WebhookSender,
} from '../../ports/notification-channels';
import { UpstreamError } from '../../ports/upstream-error';

export interface FetchWebhookSenderOptions {
  /** Deadline of the whole exchange (connection, request, answer), ms. */
  readonly timeoutMs: number;
  /** Bytes of the answer read at most (its start goes into error messages); default 64 KiB. */
  readonly maxResponseBytes?: number;
}

/** Statuses after which the same request may succeed later (RFC 9110 section 15, RFC 6585). */
const TRANSIENT = new Set([408, 425, 429]);
/** Characters of the answer quoted in an error. */
const EXCERPT = 200;

export class FetchWebhookSender implements WebhookSender {
  private readonly maxBytes: number;

  constructor(private readonly options: FetchWebhookSenderOptions) {
    this.maxBytes = options.maxResponseBytes ?? 64 * 1024;
  }

  async post(delivery: WebhookDelivery, signal: AbortSignal): Promise<{ status: number }> {
    let url: URL;
    try {
      url = new URL(delivery.url);
    } catch (err: unknown) {
      throw new UpstreamError('webhook', 'INVALID', 'the webhook URL is not a URL', { cause: err });
    }
    // The origin only: a webhook's path or query often holds its token.
    const source = `webhook:${url.origin}`;
    const fail = (code: NotificationErrorCode, message: string, cause?: unknown): UpstreamError =>
      new UpstreamError(source, code, message, { cause });
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw fail('INVALID', `the webhook URL must be http or https, not ${url.protocol}`);
    const body = JSON.stringify(delivery.payload);
    if (typeof body !== 'string') throw fail('INVALID', 'the payload has no JSON form');
    let headers: Headers;
    try {
      headers = new Headers(delivery.headers);
      // set() replaces whatever case the configured name had: those cannot be overridden.
      headers.set('content-type', 'application/json');
      headers.set('idempotency-key', delivery.idempotencyKey);
      if (!headers.has('accept')) headers.set('accept', 'application/json');
    } catch (err: unknown) {
      // Not fetch's message: it quotes the value, which may be a token.
      if (err instanceof TypeError) throw fail('INVALID', 'a header name or value cannot be sent', err);
      throw err;
    }
    if (signal.aborted) throw fail('ABORTED', 'aborted before start');

    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const combined = AbortSignal.any([signal, deadline]);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: combined,
        redirect: 'manual',
      });
      const answer = await readBounded(response, this.maxBytes);
      const { status } = response;
      if (status >= 200 && status < 300) return { status };
      if (status >= 300 && status < 400)
        throw new NotificationRejectedError(
          source,
          status,
          true,
          `answered ${status}, a redirect${redirectTarget(response, url)}: redirects are not followed, configure the final URL`,
        );
      throw new NotificationRejectedError(
        source,
        status,
        status < 500 && !TRANSIENT.has(status),
        `answered ${status}${answer === '' ? '' : `: ${answer}`}`,
      );
    } catch (err: unknown) {
      if (err instanceof UpstreamError) throw err;
      if (signal.aborted) throw fail('ABORTED', 'aborted', err);
      if (deadline.aborted) throw fail('TIMEOUT', `no answer within ${this.options.timeoutMs} ms`, err);
      throw classify(source, err);
    }
  }
}

/** ` to https://host/path` of a redirect (no query: it may hold a token), or nothing. */
function redirectTarget(response: Response, base: URL): string {
  const location = response.headers.get('location');
  if (location === null) return '';
  try {
    const target = new URL(location, base);
    return ` to ${target.origin}${target.pathname}`;
  } catch (err: unknown) {
    if (err instanceof TypeError) return '';
    throw err;
  }
}

/**
 * The start of the answer as one printable line (at most EXCERPT characters), reading at most
 * `maxBytes` and cancelling the rest so that the connection is released (PITFALLS.md).
 */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    while (received < maxBytes) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (chunk.done || chunk.value === undefined) return excerpt(chunks);
      chunks.push(chunk.value);
      received += chunk.value.byteLength;
    }
    await reader.cancel();
    return excerpt(chunks);
  } finally {
    reader.releaseLock();
  }
}

function excerpt(chunks: Uint8Array[]): string {
  const text = Buffer.concat(chunks)
    .toString('utf8')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .trim();
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
}

/** A fetch failure without an answer: the cause's code says whether TLS or the network failed. */
function classify(source: string, err: unknown): UpstreamError {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : '';
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_)/.test(code))
    return new UpstreamError(source, 'TLS', `TLS failed (${code})`, { cause: err });
  return new UpstreamError(source, 'UNREACHABLE', code ? `unreachable (${code})` : 'unreachable', {
    cause: err,
  });
}
