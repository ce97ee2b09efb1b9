/**
 * The SMTP client's text (headers, quoted-printable, dot-stuffing, reply parsing) and, against an
 * in-process fake server, the edge cases a real server will not produce on demand: a connection
 * dropped mid-DATA, a silent server, garbage, data pushed after the STARTTLS reply. The dialog
 * with a real server is in test/integration/notification-channels.int.test.ts.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationRejectedError, type EmailMessage } from '../../ports/notification-channels';
import { UpstreamError } from '../../ports/upstream-error';
import { SmtpEmailSender, type SmtpEmailSenderOptions } from './smtp-email-sender';
import {
  SmtpReplyParser,
  dotStuff,
  encodeHeaderValue,
  formatMessage,
  quotedPrintable,
  rfc5322Date,
} from './smtp-message';

const message: EmailMessage = {
  from: 'vigie@example.org',
  to: ['ops@example.org'],
  subject: 'UPS on battery',
  text: 'Zone A: UPS 1 on battery.',
  messageId: 'alarm-42.1@vigie.example.org',
};

/** The text of RFC 2047 B words, as a decoder joins them (whitespace between words dropped). */
function decodeWords(value: string): string {
  const words = value.split(/\r\n /);
  return words
    .map((w) => {
      const b64 = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(w)?.[1];
      if (b64 === undefined) throw new Error(`not an encoded word: ${w}`);
      const text = Buffer.from(b64, 'base64').toString('utf8');
      // A character split between two words would decode to U+FFFD.
      expect(text).not.toContain('\uFFFD');
      return text;
    })
    .join('');
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=') {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

describe('the message text', () => {
  it('leaves a plain ASCII subject as it is', () => {
    expect(encodeHeaderValue('UPS on battery (zone A)')).toBe('UPS on battery (zone A)');
  });

  it('encodes a French or Dutch subject as UTF-8 words of at most 75 characters, no character split', () => {
    const subjects = [
      'Alarme critique : onduleur sur batterie — salle énergie, zone A (autonomie 12 min)',
      'Kritiek alarm: UPS op batterij — Zone B, stroomruimte, geschatte autonomie één uur',
      '🔥'.repeat(40),
    ];
    for (const subject of subjects) {
      const encoded = encodeHeaderValue(subject);
      for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
      expect(decodeWords(encoded)).toBe(subject);
    }
  });

  it('turns line breaks in a subject into spaces, and encodes text that looks like an encoded word', () => {
    expect(encodeHeaderValue('a\r\nBcc: victim@example.org')).toBe('a Bcc: victim@example.org');
    const tricky = encodeHeaderValue('=?UTF-8?B?Zm9v?=');
    expect(decodeWords(tricky)).toBe('=?UTF-8?B?Zm9v?=');
  });

  it('writes quoted-printable lines of at most 76 characters that decode back to the text', () => {
    const text = `Bonjour,\nL’onduleur « UPS-1 » est passé sur batterie.\r\nTarif = 3 €   \n${'é'.repeat(120)}\n\tfin\t`;
    const encoded = quotedPrintable(text);
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^[\x21-\x7e \t]*$/);
      // Trailing white space would be stripped by relays: it must be encoded.
      expect(line).not.toMatch(/[ \t]$/);
    }
    expect(encoded).toContain('Tarif =3D 3 =E2=82=AC  =20');
    expect(decodeQuotedPrintable(encoded)).toBe(text.replace(/\r?\n/g, '\r\n'));
  });

  it('dot-stuffs every line that starts with a dot and ends with CRLF.CRLF', () => {
    expect(dotStuff('a\r\n.\r\n..b\r\n.c\r\n')).toBe('a\r\n..\r\n...b\r\n..c\r\n.\r\n');
    expect(dotStuff('.first\r\nlast')).toBe('..first\r\nlast\r\n.\r\n');
    // A lone dot in the body must not end DATA early.
    const data = dotStuff(formatMessage({ ...message, text: 'before\n.\nafter' }, new Date(0)));
    expect(data.match(/\r\n\.\r\n/g)).toEqual(['\r\n.\r\n']);
    expect(data.endsWith('\r\n.\r\n')).toBe(true);
  });

  it('writes the RFC 5322 headers, MIME in 7 bits, CRLF everywhere', () => {
    const text = formatMessage(
      { ...message, to: ['ops@example.org', 'oncall@example.org'], headers: { 'X-Vigie-Alarm': 'a-42' } },
      new Date(Date.UTC(2026, 2, 3, 10, 4, 5)),
    );
    expect(text.split('\r\n\r\n')[0]!.split('\r\n')).toEqual([
      'Date: Tue, 03 Mar 2026 10:04:05 +0000',
      'From: vigie@example.org',
      'To: ops@example.org,',
      ' oncall@example.org',
      'Subject: UPS on battery',
      'Message-ID: <alarm-42.1@vigie.example.org>',
      'X-Vigie-Alarm: a-42',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
    ]);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text).toMatch(/^[\x20-\x7e\r\n]*$/);
    expect(rfc5322Date(new Date(0))).toBe('Thu, 01 Jan 1970 00:00:00 +0000');
  });

  it('keeps the Message-ID as given, angle brackets or not (the same id on every retry)', () => {
    const withBrackets = formatMessage({ ...message, messageId: '<n-7@vigie>' }, new Date(0));
    const without = formatMessage({ ...message, messageId: 'n-7@vigie' }, new Date(0));
    expect(withBrackets).toContain('\r\nMessage-ID: <n-7@vigie>\r\n');
    expect(without).toBe(withBrackets);
  });

  it('refuses what would inject a header or a command', () => {
    const refused = [
      { ...message, from: 'vigie@example.org>\r\nRCPT TO:<victim@example.org' },
      { ...message, to: ['ops@example.org', 'a b@example.org'] },
      { ...message, to: ['opérateur@example.org'] },
      { ...message, to: [] },
      { ...message, messageId: 'no-at-sign' },
      { ...message, messageId: 'a@b>\r\nBcc: x@y' },
      { ...message, headers: { 'X-Note': 'a\r\nBcc: victim@example.org' } },
      { ...message, headers: { Bcc: 'victim@example.org' } },
      { ...message, headers: { 'Content-Type': 'text/html' } },
      { ...message, headers: { 'Bad Name': 'x' } },
    ];
    for (const m of refused) expect(() => formatMessage(m, new Date(0)), JSON.stringify(m)).toThrow();
  });
});

describe('SmtpReplyParser', () => {
  it('joins a multi-line reply, split anywhere across chunks', () => {
    const text = '250-smtp.example.org\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SmtpReplyParser();
      const replies = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(replies).toEqual([
        { code: 250, lines: ['smtp.example.org', 'PIPELINING', 'STARTTLS', 'AUTH PLAIN LOGIN'] },
      ]);
      expect(parser.hasPartial).toBe(false);
    }
  });

  it('reads several replies in one chunk, bare LF, and a code alone', () => {
    const parser = new SmtpReplyParser();
    expect(parser.push('220 ready\n250\r\n354 go ahead\r\n221-bye\r\n')).toEqual([
      { code: 220, lines: ['ready'] },
      { code: 250, lines: [''] },
      { code: 354, lines: ['go ahead'] },
    ]);
    expect(parser.hasPartial).toBe(true);
  });

  it('refuses what is not SMTP: another protocol, mixed codes, endless lines or replies', () => {
    expect(() => new SmtpReplyParser().push('HTTP/1.1 400 Bad Request\r\n')).toThrow(/not an SMTP reply/);
    expect(() => new SmtpReplyParser().push('250-a\r\n550 b\r\n')).toThrow(/different codes/);
    expect(() => new SmtpReplyParser().push('250 ' + 'x'.repeat(5000))).toThrow(/longer than/);
    expect(() => new SmtpReplyParser().push('250-x\r\n'.repeat(300))).toThrow(/lines/);
  });
});

// ---------------------------------------------------------------------------------------------
// Against a fake server

interface FakeServer {
  readonly port: number;
  /** Command lines received, in order (the message body not included). */
  readonly commands: string[];
  /** The DATA payloads received, as sent (dot-stuffed, with the final dot). */
  readonly data: string[];
  /** Connections still open. */
  open(): number;
  close(): Promise<void>;
}

/**
 * Answers like a permissive server unless `answer` returns something for a command: a reply text
 * (CRLF added), 'silent' (never answers), 'drop' (closes the connection), or a function that gets
 * the socket. `onData` can do the same with the message payload.
 */
type Answer = string | ((socket: net.Socket) => void) | undefined;

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fakeServer(
  answer: (command: string) => Answer = () => undefined,
  onData: (payload: string) => Answer = () => undefined,
): Promise<FakeServer> {
  const commands: string[] = [];
  const data: string[] = [];
  const sockets = new Set<net.Socket>();
  const defaults = (command: string): string => {
    const verb = command.split(' ')[0]!.toUpperCase();
    if (verb === 'EHLO') return '250-fake.example.org\r\n250-PIPELINING\r\n250 8BITMIME';
    if (verb === 'DATA') return '354 go ahead';
    if (verb === 'QUIT') return '221 bye';
    return '250 OK';
  };
  const respond = (socket: net.Socket, reply: Answer, fallback: string): void => {
    if (reply === 'silent') return;
    if (reply === 'drop') socket.destroy();
    else if (typeof reply === 'function') reply(socket);
    else socket.write(`${reply ?? fallback}\r\n`);
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    let inData = false;
    respond(socket, answer('(greeting)'), '220 fake.example.org ESMTP');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          const partial = onData(buffer);
          if (partial === 'drop') return respond(socket, partial, '');
          if (end < 0) return;
          data.push(buffer.slice(0, end + 5));
          buffer = buffer.slice(end + 5);
          inData = false;
          respond(socket, onData(data.at(-1)!), '250 2.0.0 queued as 1234');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const command = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        commands.push(command);
        const reply = answer(command);
        respond(socket, reply, defaults(command));
        if (command === 'DATA' && reply === undefined) inData = true;
        if (command === 'QUIT' && reply === undefined) socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const fake: FakeServer = {
    port: address.port,
    commands,
    data,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(fake);
  return fake;
}

function sender(server: FakeServer, options: Partial<SmtpEmailSenderOptions> = {}): SmtpEmailSender {
  return new SmtpEmailSender(
    {
      host: '127.0.0.1',
      port: server.port,
      security: 'none',
      heloName: 'vigie.test',
      timeoutMs: 2000,
      ...options,
    },
    () => new Date(Date.UTC(2026, 0, 1)),
  );
}

const never = (): AbortSignal => new AbortController().signal;

/** The UpstreamError `promise` rejects with; anything else fails the test. */
async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof UpstreamError)) throw outcome;
  return outcome;
}

/** Resolves once `check` holds (polled each event-loop turn), or fails after 2 s. */
async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('SmtpEmailSender against a fake server', () => {
  it('runs the dialog in order and sends the dot-stuffed message', async () => {
    const server = await fakeServer();
    await sender(server).send(
      { ...message, to: ['ops@example.org', 'oncall@example.org'], text: '.\n..' },
      never(),
    );
    expect(server.commands).toEqual([
      'EHLO vigie.test',
      'MAIL FROM:<vigie@example.org>',
      'RCPT TO:<ops@example.org>',
      'RCPT TO:<oncall@example.org>',
      'DATA',
      'QUIT',
    ]);
    expect(server.data[0]).toMatch(/\r\n\r\n\.\.\r\n\.\.\.\r\n\.\r\n$/);
    await eventually(() => server.open() === 0);
  });

  it('fails with the refused recipient named, and says goodbye without sending the message', async () => {
    const server = await fakeServer((c) =>
      c === 'RCPT TO:<gone@example.org>' ? '550 5.1.1 <gone@example.org>: User unknown' : undefined,
    );
    const err = await failure(
      sender(server).send({ ...message, to: ['ops@example.org', 'gone@example.org'] }, never()),
    );
    expect(err).toBeInstanceOf(NotificationRejectedError);
    expect(err).toMatchObject({ code: 'REJECTED', status: 550, permanent: true });
    expect(err.message).toBe(
      'recipient gone@example.org: refused, the server answered 550 5.1.1 <gone@example.org>: User unknown',
    );
    await eventually(() => server.commands.at(-1) === 'QUIT');
    expect(server.commands).not.toContain('DATA');
  });

  it('tells a temporary refusal (4xx) from a permanent one', async () => {
    const server = await fakeServer((c) =>
      c.startsWith('MAIL') ? '451 4.7.1 Greylisted, try again in 300 seconds' : undefined,
    );
    const err = await failure(sender(server).send(message, never()));
    expect(err).toMatchObject({ code: 'REJECTED', status: 451, permanent: false });
  });

  it('fails when the server drops the connection in the middle of DATA', async () => {
    const server = await fakeServer(undefined, () => 'drop');
    const err = await failure(sender(server).send({ ...message, text: 'x'.repeat(200_000) }, never()));
    expect(err.code).toBe('UNREACHABLE');
    expect(err.message).toMatch(/end of DATA|ECONNRESET|EPIPE/);
  });

  it('fails when the server refuses the message after DATA', async () => {
    const server = await fakeServer(undefined, (payload) =>
      payload.endsWith('\r\n.\r\n') ? '554 5.7.1 Message rejected as spam' : undefined,
    );
    const err = await failure(sender(server).send(message, never()));
    expect(err).toMatchObject({ code: 'REJECTED', status: 554, permanent: true });
    expect(err.message).toContain('end of DATA');
  });

  it('does not fail a message already accepted when the server hangs up instead of answering QUIT', async () => {
    const server = await fakeServer((c) => (c === 'QUIT' ? 'drop' : undefined));
    await expect(sender(server).send(message, never())).resolves.toBeUndefined();
    expect(server.data).toHaveLength(1);
  });

  it('gives up on a silent server after the per-command deadline', async () => {
    const server = await fakeServer((c) => (c.startsWith('RCPT') ? 'silent' : undefined));
    const started = Date.now();
    const err = await failure(sender(server, { timeoutMs: 300 }).send(message, never()));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toBe('no answer to recipient ops@example.org within 300 ms');
    expect(Date.now() - started).toBeLessThan(2000);
    await eventually(() => server.open() === 0);
  });

  it('stops at once when the caller aborts, and closes the connection', async () => {
    const server = await fakeServer((c) => (c.startsWith('MAIL') ? 'silent' : undefined));
    const controller = new AbortController();
    const sending = failure(sender(server, { timeoutMs: 60_000 }).send(message, controller.signal));
    await eventually(() => server.commands.some((c) => c.startsWith('MAIL')));
    controller.abort();
    expect((await sending).code).toBe('ABORTED');
    await eventually(() => server.open() === 0);
  });

  it('close() ends the sends in progress and refuses new ones', async () => {
    const server = await fakeServer((c) => (c.startsWith('MAIL') ? 'silent' : undefined));
    const smtp = sender(server, { timeoutMs: 60_000 });
    const sending = failure(smtp.send(message, never()));
    await eventually(() => server.commands.some((c) => c.startsWith('MAIL')));
    await smtp.close();
    expect(await sending).toMatchObject({ code: 'ABORTED', message: 'the sender was closed' });
    expect((await failure(smtp.send(message, never()))).code).toBe('ABORTED');
  });

  it('refuses a server that is not SMTP', async () => {
    const server = await fakeServer((c) => (c === '(greeting)' ? 'HTTP/1.1 400 Bad Request' : undefined));
    const err = await failure(sender(server).send(message, never()));
    expect(err.code).toBe('PROTOCOL');
    expect(err.message).toContain('not an SMTP reply: HTTP/1.1 400 Bad Request');
  });

  it('fails as REJECTED when the greeting is a refusal', async () => {
    const server = await fakeServer((c) =>
      c === '(greeting)' ? '554 5.7.1 No SMTP service here' : undefined,
    );
    expect(await failure(sender(server).send(message, never()))).toMatchObject({
      code: 'REJECTED',
      status: 554,
    });
  });

  it('refuses to go on in clear text when STARTTLS is required and not offered', async () => {
    const server = await fakeServer();
    const err = await failure(sender(server, { security: 'starttls' }).send(message, never()));
    expect(err.code).toBe('TLS');
    expect(err.message).toContain('does not offer STARTTLS');
    expect(server.commands.filter((c) => !c.startsWith('EHLO') && c !== 'QUIT')).toEqual([]);
  });

  it('refuses bytes pushed after the STARTTLS reply, before TLS (command injection)', async () => {
    const server = await fakeServer((c) => {
      if (c.startsWith('EHLO')) return '250-fake\r\n250 STARTTLS';
      if (c === 'STARTTLS') return '220 go ahead\r\n250 injected';
      return undefined;
    });
    const err = await failure(sender(server, { security: 'starttls' }).send(message, never()));
    expect(err.code).toBe('PROTOCOL');
    expect(err.message).toContain('after its STARTTLS reply');
  });

  it('fails as TLS when the server answers STARTTLS with a refusal', async () => {
    const server = await fakeServer((c) => {
      if (c.startsWith('EHLO')) return '250-fake\r\n250 STARTTLS';
      if (c === 'STARTTLS') return '454 4.7.0 TLS not available due to temporary reason';
      return undefined;
    });
    const err = await failure(sender(server, { security: 'starttls' }).send(message, never()));
    expect(err.code).toBe('TLS');
    expect(err.message).toContain('454 4.7.0 TLS not available');
  });

  it('refuses to send credentials without TLS, whatever the server offers', () => {
    expect(
      () =>
        new SmtpEmailSender({
          host: '127.0.0.1',
          port: 25,
          security: 'none',
          user: 'u',
          password: 'p',
          timeoutMs: 1000,
        }),
    ).toThrow(/refused without TLS/);
    expect(
      () => new SmtpEmailSender({ host: '127.0.0.1', port: 25, security: 'tls', user: 'u', timeoutMs: 1000 }),
    ).toThrow(/both user and password/);
  });

  it('fails as UNREACHABLE when nothing listens, as INVALID on a bad message, without connecting', async () => {
    const server = await fakeServer();
    const port = server.port;
    await server.close();
    const unreachable = await failure(sender({ ...server, port }).send(message, never()));
    expect(unreachable).toMatchObject({
      code: 'UNREACHABLE',
      message: 'connecting to 127.0.0.1:' + port + ': ECONNREFUSED',
    });
    const other = await fakeServer();
    const invalid = await failure(sender(other).send({ ...message, to: ['x\r\n@example.org'] }, never()));
    expect(invalid.code).toBe('INVALID');
    expect(other.commands).toEqual([]);
  });
});
