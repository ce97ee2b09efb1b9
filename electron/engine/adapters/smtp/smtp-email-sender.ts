/**
 * EmailSender over SMTP (RFC 5321) on node:net and node:tls, one connection per message: EHLO,
 * STARTTLS (RFC 3207) or implicit TLS (RFC 8314), AUTH PLAIN (RFC 4616) or LOGIN, MAIL FROM,
 * one RCPT TO per recipient, DATA, QUIT. Small on purpose: a notice every few minutes needs no
 * pool, no pipelining and no dependency.
 *
 * Safety: `starttls` never falls back to clear text when the server does not offer it (a MITM
 * strips the offer, RFC 3207 section 6); bytes received after the STARTTLS reply are refused
 * rather than read as if protected (the command injection of CVE-2011-0411); credentials are only
 * sent over TLS. Every reply has a deadline (`timeoutMs`), and the caller's signal ends the
 * dialog at once. The adapter never retries: the notification service does, with the same
 * Message-ID.
 */
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import {
  NotificationRejectedError,
  type EmailMessage,
  type EmailSender,
  type NotificationErrorCode,
} from '../../ports/notification-channels';
import { UpstreamError } from '../../ports/upstream-error';
import {
  InvalidMessageError,
  SmtpProtocolError,
  SmtpReplyParser,
  describeReply,
  dotStuff,
  formatMessage,
  type SmtpReply,
} from './smtp-message';

export interface SmtpEmailSenderOptions {
  readonly host: string;
  readonly port: number;
  /**
   * `starttls`: clear connection upgraded before anything else is sent, refused when the server
   * does not offer it (port 587). `tls`: TLS from the first byte (port 465). `none`: clear text,
   * for a relay on the same machine; no authentication then.
   */
  readonly security: 'none' | 'starttls' | 'tls';
  /** Authenticate as this user (needs `password`, and `security` other than `none`). */
  readonly user?: string;
  readonly password?: string;
  /** Name given in EHLO; default this machine's host name. */
  readonly heloName?: string;
  /** Deadline of the connection, of the TLS handshake, and of each reply, ms. */
  readonly timeoutMs: number;
  readonly tls?: {
    /** Default true. False only in tests: a relay whose certificate is not checked can be anyone. */
    readonly rejectUnauthorized?: boolean;
    /** PEM of the CA that signed the server's certificate (a private CA, a self-signed relay). */
    readonly ca?: string;
  };
}

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const ADDRESS_LITERAL = /^\[[0-9A-Fa-f.:IPv]{2,64}\]$/;
/** The reason given to the sessions' signal by close(). */
const SENDER_CLOSED = new Error('sender closed');

export class SmtpEmailSender implements EmailSender {
  private readonly source: string;
  private readonly heloName: string;
  private readonly inFlight = new Map<AbortController, Promise<void>>();
  private closed = false;

  constructor(
    private readonly options: SmtpEmailSenderOptions,
    /** The Date header's clock. */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.source = `smtp:${options.host}:${options.port}`;
    this.heloName = options.heloName ?? (HOST_NAME.test(os.hostname()) ? os.hostname() : 'localhost');
    if (!HOST_NAME.test(this.heloName) && !ADDRESS_LITERAL.test(this.heloName))
      throw new RangeError(`heloName ${JSON.stringify(this.heloName)} is not a host name`);
    if ((options.user === undefined) !== (options.password === undefined))
      throw new RangeError('SMTP authentication needs both user and password');
    if (options.user !== undefined && options.security === 'none')
      throw new RangeError(
        'SMTP authentication is refused without TLS (the password would cross the network in clear text): use security "starttls" or "tls"',
      );
  }

  async send(message: EmailMessage, signal: AbortSignal): Promise<void> {
    if (this.closed) throw this.error('ABORTED', 'the sender is closed');
    if (signal.aborted) throw this.error('ABORTED', 'aborted before start');
    let data: string;
    try {
      data = dotStuff(formatMessage(message, this.now()));
    } catch (err: unknown) {
      if (err instanceof InvalidMessageError) throw this.error('INVALID', err.message, err);
      throw err;
    }
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const session = new SmtpSession(this.source, this.options, controller.signal);
    const sending = this.dialog(session, message, data).finally(() => {
      signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(controller);
      session.destroy();
    });
    this.inFlight.set(controller, sending);
    await sending;
  }

  /** Aborts the sends in progress and waits until their connections are closed. */
  async close(): Promise<void> {
    this.closed = true;
    const sending = [...this.inFlight];
    for (const [controller] of sending) controller.abort(SENDER_CLOSED);
    await Promise.allSettled(sending.map(([, promise]) => promise));
  }

  private error(code: NotificationErrorCode, message: string, cause?: unknown): UpstreamError {
    return new UpstreamError(this.source, code, message, { cause });
  }

  private async dialog(session: SmtpSession, message: EmailMessage, data: string): Promise<void> {
    const { options } = this;
    await session.connect();
    await session.expect('the greeting', 220);
    let extensions = await session.ehlo(this.heloName);
    if (options.security === 'starttls') {
      if (!extensions.has('STARTTLS'))
        throw session.fail(
          'TLS',
          'the server does not offer STARTTLS: refusing to send in clear text (security "starttls")',
        );
      await session.startTls();
      extensions = await session.ehlo(this.heloName);
    }
    if (options.user !== undefined && options.password !== undefined)
      await session.authenticate(options.user, options.password, extensions.get('AUTH') ?? '');
    await session.command(`MAIL FROM:<${message.from}>`, `sender ${message.from}`, 250);
    for (const recipient of message.to)
      await session.command(`RCPT TO:<${recipient}>`, `recipient ${recipient}`, 250, 251);
    await session.command('DATA', 'DATA', 354);
    await session.data(data);
    // Accepted: the relay owns the message now. A failed QUIT must not fail the send, or a retry
    // would mail it twice.
    await session.quit();
  }
}

/** The error for a reply other than the expected one: a refusal (4xx, 5xx) or out of protocol. */
function unexpected(source: string, step: string, reply: SmtpReply): UpstreamError {
  if (reply.code >= 400)
    return new NotificationRejectedError(
      source,
      reply.code,
      reply.code >= 500,
      `${step}: refused, the server answered ${describeReply(reply)}`,
    );
  return new UpstreamError(source, 'PROTOCOL', `${step}: unexpected reply ${describeReply(reply)}`);
}

/** Error codes of certificate checks and handshakes. */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_)/;

/**
 * One SMTP connection: a socket (plain, then maybe TLS), the parser of its replies, and the one
 * failure that ends it (a timeout, the caller's abort, the server closing, a socket error).
 */
class SmtpSession {
  private socket: net.Socket | undefined;
  private readonly parser = new SmtpReplyParser();
  private readonly replies: SmtpReply[] = [];
  private waiting: ((reply: SmtpReply) => void) | undefined;
  private onFailure: ((err: UpstreamError) => void) | undefined;
  private failure: UpstreamError | undefined;
  private step = 'connecting';
  private handshaking = false;

  constructor(
    private readonly source: string,
    private readonly options: SmtpEmailSenderOptions,
    signal: AbortSignal,
  ) {
    signal.addEventListener(
      'abort',
      () => this.fail('ABORTED', signal.reason === SENDER_CLOSED ? 'the sender was closed' : 'aborted'),
      { once: true },
    );
  }

  connect(): Promise<void> {
    const { host, port, security } = this.options;
    return this.within(`connecting to ${host}:${port}`, (done) => {
      const socket =
        security === 'tls'
          ? tls.connect({ ...this.tlsOptions(), host, port }, () => {
              this.handshaking = false;
              done();
            })
          : net.connect({ host, port }, done);
      // Past the TCP connect, whatever fails is the handshake's doing.
      if (security === 'tls') socket.once('connect', () => (this.handshaking = true));
      this.attach(socket);
    });
  }

  /** EHLO; its extensions keyed by upper-case keyword, parameters (upper-cased) as the value. */
  async ehlo(name: string): Promise<Map<string, string>> {
    const reply = await this.command(`EHLO ${name}`, 'EHLO', 250);
    const extensions = new Map<string, string>();
    for (const line of reply.lines.slice(1)) {
      const [keyword = '', ...params] = line.trim().split(/\s+/);
      extensions.set(keyword.toUpperCase(), params.join(' ').toUpperCase());
    }
    return extensions;
  }

  /** STARTTLS, then the connection wrapped in TLS once the server said 220 (RFC 3207). */
  async startTls(): Promise<void> {
    const reply = await this.send('STARTTLS', 'STARTTLS');
    if (reply.code !== 220)
      throw this.fail('TLS', `STARTTLS refused: the server answered ${describeReply(reply)}`);
    const plain = this.socket;
    if (plain === undefined) throw new Error('not connected');
    if (this.replies.length > 0 || this.parser.hasPartial)
      throw this.fail(
        'PROTOCOL',
        'the server sent more after its STARTTLS reply, before TLS began: refused (command injection)',
      );
    plain.removeAllListeners('data');
    await this.within('the TLS handshake after STARTTLS', (done) => {
      this.handshaking = true;
      const secure = tls.connect({ ...this.tlsOptions(), socket: plain }, () => {
        this.handshaking = false;
        done();
      });
      this.attach(secure);
    });
  }

  async authenticate(user: string, password: string, offered: string): Promise<void> {
    const mechanisms = offered.split(' ');
    const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    const step = `AUTH as ${user}`;
    const check = (reply: SmtpReply, expected: number): void => {
      if (reply.code === expected) return;
      throw this.fail(
        'AUTH',
        reply.code >= 400
          ? `${step}: refused, the server answered ${describeReply(reply)}`
          : `${step}: unexpected reply ${describeReply(reply)}`,
      );
    };
    if (mechanisms.includes('PLAIN')) {
      // RFC 4616: authorization identity (empty), NUL, user, NUL, password.
      check(await this.send(`AUTH PLAIN ${b64(`\0${user}\0${password}`)}`, step), 235);
    } else if (mechanisms.includes('LOGIN')) {
      check(await this.send('AUTH LOGIN', step), 334);
      check(await this.send(b64(user), step), 334);
      check(await this.send(b64(password), step), 235);
    } else {
      throw this.fail(
        'AUTH',
        offered === ''
          ? 'the server offers no authentication (no AUTH in its EHLO reply)'
          : `the server offers neither AUTH PLAIN nor LOGIN (it offers ${offered})`,
      );
    }
  }

  /** Sends one command line and checks that the reply has one of the `expected` codes. */
  async command(line: string, step: string, ...expected: number[]): Promise<SmtpReply> {
    const reply = await this.send(line, step);
    if (!expected.includes(reply.code)) throw this.failWith(unexpected(this.source, step, reply));
    return reply;
  }

  async expect(step: string, code: number): Promise<void> {
    const reply = await this.reply(step);
    if (reply.code !== code) throw this.failWith(unexpected(this.source, step, reply));
  }

  /** The dot-stuffed message and its terminating dot; the server answers once it has it all. */
  async data(payload: string): Promise<void> {
    this.socket?.write(payload, 'latin1');
    const step = 'the message (end of DATA)';
    const reply = await this.reply(step);
    if (reply.code !== 250) throw this.failWith(unexpected(this.source, step, reply));
  }

  /** QUIT and its 221, any failure ignored: the message was already accepted. */
  async quit(): Promise<void> {
    try {
      await this.send('QUIT', 'QUIT');
    } catch (err: unknown) {
      // Deliberately ignored: a relay that hangs up before its 221 has the message anyway.
      if (!(err instanceof UpstreamError)) throw err;
    }
  }

  /** Closes the connection unless a failure already did (politely, with QUIT, on a refusal). */
  destroy(): void {
    if (this.failure === undefined) this.socket?.destroy();
  }

  /** Ends the session with this failure (the first one wins) and returns it, to be thrown. */
  fail(code: NotificationErrorCode, message: string, cause?: unknown): UpstreamError {
    return this.failWith(new UpstreamError(this.source, code, message, { cause }));
  }

  private failWith(err: UpstreamError): UpstreamError {
    if (this.failure) return this.failure;
    this.failure = err;
    const socket = this.socket;
    if (socket && !socket.destroyed && err instanceof NotificationRejectedError) {
      // The server is fine, it just said no: say goodbye, and close should it not.
      socket.setTimeout(this.options.timeoutMs, () => socket.destroy());
      socket.end('QUIT\r\n');
    } else socket?.destroy();
    this.onFailure?.(err);
    return err;
  }

  private send(line: string, step: string): Promise<SmtpReply> {
    this.socket?.write(`${line}\r\n`, 'latin1');
    return this.reply(step);
  }

  private reply(step: string): Promise<SmtpReply> {
    return this.within(step, (done) => {
      const next = this.replies.shift();
      if (next) done(next);
      else this.waiting = done;
    });
  }

  /** Runs `start` and waits for it to call `done`, at most timeoutMs, ended by any failure. */
  private within<T = void>(step: string, start: (done: (value: T) => void) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    this.step = step;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail('TIMEOUT', `no answer to ${step} within ${this.options.timeoutMs} ms`),
        this.options.timeoutMs,
      );
      const settle = (): void => {
        clearTimeout(timer);
        this.onFailure = undefined;
        this.waiting = undefined;
      };
      this.onFailure = (err) => {
        settle();
        reject(err);
      };
      try {
        start((value) => {
          settle();
          resolve(value);
        });
      } catch (err: unknown) {
        settle();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let parsed: SmtpReply[];
      try {
        // latin1: one character a byte, so a chunk never splits a character.
        parsed = this.parser.push(chunk.toString('latin1'));
      } catch (err: unknown) {
        if (!(err instanceof SmtpProtocolError)) throw err;
        this.fail('PROTOCOL', `${this.step}: ${err.message}`, err);
        return;
      }
      this.replies.push(...parsed);
      const waiting = this.waiting;
      const next = waiting && this.replies.shift();
      if (waiting && next) waiting(next);
    });
    socket.on('error', (err: Error & { code?: string }) => {
      const code = err.code ?? '';
      if (this.handshaking || TLS_CODES.test(code))
        this.fail('TLS', `${this.step}: TLS failed (${code || err.message})`, err);
      else this.fail('UNREACHABLE', `${this.step}: ${code || err.message}`, err);
    });
    // After our own close too: harmless then, as the first failure (or the end) already happened.
    socket.on('close', () =>
      this.fail('UNREACHABLE', `the server closed the connection during ${this.step}`),
    );
  }

  private tlsOptions(): tls.ConnectionOptions {
    const { host, tls: settings } = this.options;
    return {
      // SNI carries names only (RFC 6066 section 3), never an address.
      servername: net.isIP(host) === 0 ? host : undefined,
      ca: settings?.ca,
      rejectUnauthorized: settings?.rejectUnauthorized ?? true,
      minVersion: 'TLSv1.2',
    };
  }
}
