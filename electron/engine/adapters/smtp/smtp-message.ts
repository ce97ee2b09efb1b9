/**
 * The text an SMTP client writes: an RFC 5322 message in 7-bit ASCII (RFC 2047 encoded words for
 * a non-ASCII subject, a quoted-printable UTF-8 body, RFC 2045), dot-stuffed for DATA
 * (RFC 5321 section 4.5.2); and the parser of the server's replies, multi-line ones included
 * (RFC 5321 section 4.2.1). Pure functions: the socket lives in smtp-email-sender.ts.
 */
import type { EmailMessage } from '../../ports/notification-channels';

/** A message that cannot be written as given; the sender turns it into an INVALID UpstreamError. */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
}

/** A bare address the envelope and the headers can carry as is: ASCII, no space, no `<>`. */
const ADDRESS =
  /^[!#-'*+\-/-9=?A-Z^-~.]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^[!#-'*+\-/-9=?A-Z^-~.]+@\[[0-9A-Fa-f.:IPv]{2,64}\]$/;
const MESSAGE_ID = /^<?([!#-'*+\-/-9=?A-Z^-~.]+@[!#-'*+\-/-9=?A-Z^-~.[\]]+)>?$/;
/** RFC 5322 field name: printable ASCII but the colon. */
const FIELD_NAME = /^[!-9;-~]{1,76}$/;
/** Fields this module writes itself: a caller's value would duplicate or contradict them. */
const OWN_FIELDS = new Set(['date', 'from', 'to', 'cc', 'bcc', 'subject', 'message-id', 'mime-version']);

/** The address, checked: what RCPT TO and MAIL FROM may carry without SMTPUTF8. */
export function checkedAddress(address: string, what: string): string {
  if (!ADDRESS.test(address) || address.length > 254)
    throw new InvalidMessageError(
      `${what} ${JSON.stringify(address.slice(0, 100))} is not a bare ASCII e-mail address`,
    );
  return address;
}

/** RFC 5322 date-time in UTC, e.g. `Tue, 03 Mar 2026 10:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Printable ASCII with no run that a decoder would take for an encoded word. */
function isPlainHeaderText(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text) && !text.includes('=?');
}

/**
 * An unstructured header value (Subject, a custom field) on one line: as is when plain ASCII,
 * otherwise RFC 2047 `=?UTF-8?B?...?=` words of at most 75 characters, each on its own folded
 * line, never splitting a character between two words (RFC 2047 section 5).
 */
export function encodeHeaderValue(value: string): string {
  const text = value.replace(/[\r\n]+/g, ' ');
  if (isPlainHeaderText(text) && text.length <= 900) return text;
  // 75 - '=?UTF-8?B?'.length - '?='.length = 63 base64 characters: 45 bytes per word.
  const maxBytes = 45;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > maxBytes) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk !== '' || words.length === 0) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/**
 * UTF-8 text as quoted-printable (RFC 2045 section 6.7): lines of at most 76 characters with soft
 * breaks, `=` and every byte outside printable ASCII encoded, a space or tab at the end of a line
 * encoded so that no relay can strip it. Line breaks of any kind become CRLF.
 */
export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const out: string[] = [];
      let current = '';
      bytes.forEach((b, i) => {
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && i < bytes.length - 1);
        const token = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
        // 75 characters and the soft break `=` make 76.
        if (current.length + token.length > 75) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      });
      out.push(current);
      return out.join('\r\n');
    })
    .join('\r\n');
}

/**
 * The whole message as it is sent after DATA, before dot-stuffing: headers, a blank line, the
 * quoted-printable body, ending with CRLF. Throws InvalidMessageError on an address, Message-ID
 * or header that cannot be written safely (a line break in a value would inject headers).
 */
export function formatMessage(message: EmailMessage, date: Date): string {
  const from = checkedAddress(message.from, 'sender');
  if (message.to.length === 0) throw new InvalidMessageError('no recipient');
  const to = message.to.map((r) => checkedAddress(r, 'recipient'));
  const id = MESSAGE_ID.exec(message.messageId)?.[1];
  if (id === undefined || id.length > 250)
    throw new InvalidMessageError(
      `Message-ID ${JSON.stringify(message.messageId.slice(0, 100))} is not of the form unique@domain`,
    );
  const lines = [
    `Date: ${rfc5322Date(date)}`,
    `From: ${from}`,
    `To: ${to.join(',\r\n ')}`,
    `Subject: ${encodeHeaderValue(message.subject)}`,
    `Message-ID: <${id}>`,
  ];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!FIELD_NAME.test(name) || OWN_FIELDS.has(lower) || lower.startsWith('content-'))
      throw new InvalidMessageError(`header ${JSON.stringify(name.slice(0, 80))} cannot be set`);
    if (/[\r\n\0]/.test(value)) throw new InvalidMessageError(`header ${name} has a line break in its value`);
    lines.push(`${name}: ${encodeHeaderValue(value)}`);
  }
  lines.push(
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(message.text),
  );
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The DATA payload: every line starting with a dot gets one more (RFC 5321 section 4.5.2), then
 * the terminating `CRLF.CRLF`. `message` uses CRLF line endings and ends with CRLF.
 */
export function dotStuff(message: string): string {
  const body = message.endsWith('\r\n') ? message : `${message}\r\n`;
  return `${body.replace(/^\./gm, '..')}.\r\n`;
}

/** One reply of the server: its code and the text of each line (RFC 5321 section 4.2). */
export interface SmtpReply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** The server broke the protocol; the sender turns it into a PROTOCOL UpstreamError. */
export class SmtpProtocolError extends Error {
  override readonly name = 'SmtpProtocolError';
}

/** Longest reply line accepted (RFC 5321 section 4.5.3.1.5 says 512; servers exceed it a little). */
const MAX_LINE = 4096;
/** Lines of one reply (EHLO lists a few dozen extensions at most). */
const MAX_LINES = 200;

/**
 * Parses the byte stream of server replies (fed as latin1 text, one character a byte) into whole
 * replies. `250-first`, `250-second`, `250 last` make one reply; a line alone of three digits
 * ends one too. Tolerates LF without CR. Throws SmtpProtocolError on a line that is not a reply
 * or on a reply too long to be honest.
 */
export class SmtpReplyParser {
  private buffer = '';
  private lines: string[] = [];
  private code: number | undefined;

  /** Whole replies completed by `chunk`, in order. */
  push(chunk: string): SmtpReply[] {
    this.buffer += chunk;
    const replies: SmtpReply[] = [];
    for (let eol = this.buffer.indexOf('\n'); eol >= 0; eol = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, eol).replace(/\r$/, '');
      this.buffer = this.buffer.slice(eol + 1);
      const reply = this.line(line);
      if (reply) replies.push(reply);
    }
    if (this.buffer.length > MAX_LINE)
      throw new SmtpProtocolError(`reply line longer than ${MAX_LINE} bytes`);
    return replies;
  }

  /** True when bytes of an unfinished reply are waiting (none may be, after the STARTTLS reply). */
  get hasPartial(): boolean {
    return this.buffer !== '' || this.lines.length > 0;
  }

  private line(line: string): SmtpReply | undefined {
    const match = /^([2-5][0-5][0-9])(?:([ -])(.*))?$/.exec(line);
    if (!match) throw new SmtpProtocolError(`not an SMTP reply: ${printable(line)}`);
    const code = Number(match[1]);
    if (this.code !== undefined && this.code !== code)
      throw new SmtpProtocolError(`reply lines with different codes: ${this.code} then ${code}`);
    this.code = code;
    this.lines.push(match[3] ?? '');
    if (this.lines.length > MAX_LINES) throw new SmtpProtocolError(`reply longer than ${MAX_LINES} lines`);
    if (match[2] === '-') return undefined;
    const reply = { code, lines: this.lines };
    this.lines = [];
    this.code = undefined;
    return reply;
  }
}

/** A reply as one line for an error message: code and text, control characters dropped, bounded. */
export function describeReply(reply: SmtpReply): string {
  return printable(`${reply.code} ${reply.lines.join(' ')}`);
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\x00-\x1f\x7f-\xff]+/g, ' ').trim();
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}
