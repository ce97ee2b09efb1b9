/**
 * The outgoing channels of the alarm engine (issue 5): e-mail over SMTP, and a JSON webhook for
 * ITSM tools such as ServiceNow. One call delivers one notification once.
 *
 * Adapters never retry: the notification service owns retries (backoff with jitter, DESIGN.md
 * section 4). A retried delivery carries the same Message-ID or Idempotency-Key as the first
 * attempt, so that a lost answer never doubles a notice (PITFALLS.md). Failures are
 * `UpstreamError`s with a {@link NotificationErrorCode}; a refusal by the far side is a
 * {@link NotificationRejectedError}, which says whether trying again can help. Messages carry the
 * server's reply or status, never a password or token.
 */
import { UpstreamError } from './upstream-error';

/** A plain-text e-mail, in UTF-8 (notices are in French and Dutch). */
export interface EmailMessage {
  /** The sender's address, bare (`vigie@example.org`): envelope MAIL FROM and the From header. */
  readonly from: string;
  /** The recipients' addresses, bare; at least one. Each is an RCPT TO and is listed in To. */
  readonly to: readonly string[];
  /** Any Unicode text on one line (line breaks become spaces); encoded per RFC 2047 when needed. */
  readonly subject: string;
  /** The body; any line breaks (sent as CRLF). */
  readonly text: string;
  /**
   * Stable per notification (idempotency): a retried send carries the same Message-ID so a mailbox
   * can drop the duplicate. `unique@domain`, angle brackets optional (RFC 5322 section 3.6.4).
   */
  readonly messageId: string;
  /**
   * Extra header fields (e.g. `X-Vigie-Alarm`), values on one line. Names the adapter writes
   * itself (From, To, Subject, Date, Message-ID, MIME-Version, Content-*) are refused.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends e-mail through one configured relay. */
export interface EmailSender {
  /**
   * Delivers `message` to the relay, which has accepted it for every recipient when this
   * resolves. Rejects with an UpstreamError ({@link NotificationErrorCode}); a recipient or the
   * message refused by the relay is a {@link NotificationRejectedError} naming the recipient.
   */
  send(message: EmailMessage, signal: AbortSignal): Promise<void>;
  /** Ends the sends in progress (they reject with ABORTED) and refuses new ones. */
  close(): Promise<void>;
}

/** One JSON POST to a webhook. */
export interface WebhookDelivery {
  /** http or https. Redirects are not followed: configure the final URL. */
  readonly url: string;
  /** Sent as JSON (`Content-Type: application/json`). */
  readonly payload: unknown;
  /** Sent as the `Idempotency-Key` header; the same on every retry of one notification. */
  readonly idempotencyKey: string;
  /** Configured headers (an `Authorization` token resolved from its secret reference). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Posts notifications to webhooks. */
export interface WebhookSender {
  /**
   * Resolves with the status of a 2xx answer. Rejects with an UpstreamError; any other status
   * (a redirect included) is a {@link NotificationRejectedError}.
   */
  post(delivery: WebhookDelivery, signal: AbortSignal): Promise<{ status: number }>;
}

/**
 * Codes of the UpstreamErrors the notification adapters throw.
 * - `TIMEOUT`: no answer within the deadline. Worth retrying.
 * - `ABORTED`: the caller's signal fired (or the sender was closed): not a fault of the channel.
 * - `UNREACHABLE`: no connection (refused, name not found), or the far side dropped it mid-way.
 *   Worth retrying.
 * - `TLS`: TLS could not be set up: certificate not trusted, handshake failed, or STARTTLS
 *   required but not offered (never downgraded to clear text). A configuration matter.
 * - `AUTH`: the credentials were refused, or the server offers no usable mechanism.
 * - `PROTOCOL`: the far side answered out of protocol (malformed or oversized reply, data
 *   pushed after the STARTTLS reply).
 * - `REJECTED`: the far side refused the delivery: an SMTP 4xx/5xx reply, an HTTP status other
 *   than 2xx. Always a {@link NotificationRejectedError}.
 * - `INVALID`: the delivery cannot be sent as given (an address or header with a line break,
 *   no recipient, a payload that is not JSON). Never worth retrying.
 */
export type NotificationErrorCode =
  'TIMEOUT' | 'ABORTED' | 'UNREACHABLE' | 'TLS' | 'AUTH' | 'PROTOCOL' | 'REJECTED' | 'INVALID';

/** The far side refused the delivery (code `REJECTED`). */
export class NotificationRejectedError extends UpstreamError {
  constructor(
    source: string,
    /** The SMTP reply code (e.g. 550, 451) or the HTTP status (e.g. 500, 302). */
    readonly status: number,
    /**
     * True when sending the same delivery again cannot succeed: an SMTP 5xx reply, an HTTP 3xx or
     * 4xx other than 408, 425 and 429. False for SMTP 4xx (try later) and HTTP 5xx.
     */
    readonly permanent: boolean,
    message: string,
  ) {
    super(source, 'REJECTED', message);
  }
}
