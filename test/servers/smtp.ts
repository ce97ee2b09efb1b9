/**
 * A real SMTP server on a random loopback port: Debian's aiosmtpd (`python3 -m aiosmtpd`, an
 * RFC 5321 server with STARTTLS, SMTPS and AUTH), run by its own CLI with a small handler class
 * written into the temp dir. The handler is aiosmtpd's Mailbox (a maildir under `maildir/`) that
 * also writes each message as Python's `email` package decodes it (RFC 2047 headers, the
 * quoted-printable body) to `decoded/NNNNNN.json`, so a test checks what a mail client would show
 * with a decoder that is not the one under test. TLS modes use a self-signed certificate made with
 * openssl for 127.0.0.1. Readiness: a connection gets the `220` banner.
 *
 * Test conventions of the handler: a recipient whose local part starts with `reject-` is refused
 * with `550 5.1.1`; with `auth`, MAIL before a successful AUTH is refused with `530 5.7.0`.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { Requirement, ServerBase } from './common';
import {
  LOOPBACK,
  freeTcpPort,
  makeTempDir,
  pathOf,
  readyOrCleanUp,
  removeTempDir,
  requireBinaries,
  runChecked,
  spawnServer,
  stopper,
  waitFor,
  withStartRetries,
} from './common';

/** Debian's interpreter by path: a python3 earlier on PATH (pyenv, a venv) lacks Debian's modules. */
const PYTHON = '/usr/bin/python3';
const AIOSMTPD_MODULE = '/usr/lib/python3/dist-packages/aiosmtpd/__init__.py';

export const SMTP_REQUIREMENTS: readonly Requirement[] = [
  { binary: PYTHON, debianPackage: 'python3' },
  { binary: AIOSMTPD_MODULE, debianPackage: 'python3-aiosmtpd' },
  { binary: 'openssl', debianPackage: 'openssl' },
];

export interface SmtpServerOptions {
  /**
   * `none` (default): clear text only. `starttls`: STARTTLS offered (RFC 3207) and required
   * before MAIL unless `allowClearText`. `implicit`: TLS from the first byte (SMTPS, RFC 8314).
   */
  readonly tls?: 'none' | 'starttls' | 'implicit';
  /** With `starttls`: accept mail without STARTTLS too. */
  readonly allowClearText?: boolean;
  /**
   * Require AUTH (PLAIN or LOGIN) as this user before MAIL. aiosmtpd offers AUTH only after
   * STARTTLS (not over SMTPS), so this needs `tls: 'starttls'`.
   */
  readonly auth?: { readonly user: string; readonly password: string };
  /** Readiness deadline; default 10 s. */
  readonly readyDeadlineMs?: number;
}

/** A received message, as Python's `email` package (policy.default) decodes it. */
export interface ParsedMail {
  /** The envelope: MAIL FROM and each RCPT TO accepted. */
  readonly mailFrom: string;
  readonly rcptTos: readonly string[];
  /** Whether the message came over TLS (STARTTLS or SMTPS). */
  readonly tls: boolean;
  /** The user that authenticated, or null. */
  readonly authenticatedAs: string | null;
  /** Every header field in order, values decoded (RFC 2047 words to text). */
  readonly headers: readonly (readonly [string, string])[];
  /** The decoded value of the first field of this name (any case), or undefined. */
  header(name: string): string | undefined;
  /** The text/plain body, transfer encoding and charset decoded; null without one. */
  readonly text: string | null;
  /** The message as received after DATA (dot-stuffing removed, CRLF line ends). */
  readonly raw: string;
  /** What the parser found wrong in the message (Python's `email.errors` defects). */
  readonly defects: readonly string[];
}

export interface SmtpServerHandle extends ServerBase {
  readonly host: string;
  readonly port: number;
  /** The self-signed certificate (PEM) to trust as CA; undefined when `tls` is `none`. */
  readonly certificatePem: string | undefined;
  /** Every message received so far, in arrival order. */
  messages(): Promise<ParsedMail[]>;
  /** Waits until at least `count` messages arrived (polls the decoded dir), then returns them all. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
}

/** The aiosmtpd handler class, loaded by the CLI with `-c vigie_smtp_handler.VigieMailbox`. */
const HANDLER_PY = `"""aiosmtpd handler for Vigie's tests, written by test/servers/smtp.ts."""
import json
import os
from base64 import b64decode
from binascii import Error as Base64Error
from email import message_from_bytes, policy

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import MISSING, AuthResult, LoginPassword


class VigieMailbox(Mailbox):
    """Mailbox (maildir) plus the decoded message as JSON; optional AUTH PLAIN/LOGIN for one user."""

    def __init__(self, mail_dir, decoded_dir, user=None, password=None):
        super().__init__(mail_dir)
        self.decoded_dir = decoded_dir
        self.user = user.encode() if user is not None else None
        self.password = password.encode() if password is not None else None
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) not in (2, 4):
            parser.error("arguments: MAILDIR DECODED_DIR [USER PASSWORD]")
        return cls(*args)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.user is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject-"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        status = await super().handle_DATA(server, session, envelope)
        raw = envelope.original_content
        message = message_from_bytes(raw, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        transport = server.transport
        over_tls = session.ssl is not None or (
            transport is not None and transport.get_extra_info("ssl_object") is not None
        )
        auth = session.auth_data if session.authenticated else None
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "tls": over_tls,
            "authenticatedAs": auth.login.decode() if isinstance(auth, LoginPassword) else None,
            "headers": [[name, str(value)] for name, value in message.items()],
            "text": body.get_content() if body is not None else None,
            "raw": raw.decode("ascii", "backslashreplace"),
            "defects": [repr(d) for d in message.defects],
        }
        self.count += 1
        name = os.path.join(self.decoded_dir, "%06d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(name + ".tmp", name)
        return status

    async def auth_PLAIN(self, server, args):
        if len(args) == 1:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = b64decode(args[1], validate=True)
            except Base64Error:
                return AuthResult(success=False, handled=False)
        parts = blob.split(b"\\0")
        if len(parts) != 3:
            return AuthResult(success=False, handled=False)
        return self._check(parts[1], parts[2])

    async def auth_LOGIN(self, server, args):
        login = await server.challenge_auth("Username:")
        if login is MISSING:
            return AuthResult(success=False, handled=True)
        password = await server.challenge_auth("Password:")
        if password is MISSING:
            return AuthResult(success=False, handled=True)
        return self._check(login, password)

    # handled=False: aiosmtpd answers 535 itself (its default, handled=True, answers nothing).
    def _check(self, login, password):
        if self.user is not None and login == self.user and password == self.password:
            return AuthResult(success=True, auth_data=LoginPassword(login, password))
        return AuthResult(success=False, handled=False)
`;

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const binaries = requireBinaries(SMTP_REQUIREMENTS);
  const python = pathOf(binaries, PYTHON);
  const openssl = pathOf(binaries, 'openssl');
  const mode = options.tls ?? 'none';
  if (options.auth && mode !== 'starttls')
    throw new RangeError("aiosmtpd offers AUTH only after STARTTLS: use tls 'starttls' with auth");

  return withStartRetries('aiosmtpd', async () => {
    const dir = await makeTempDir('smtp');
    const decodedDir = path.join(dir, 'decoded');
    const certPath = path.join(dir, 'cert.pem');
    const keyPath = path.join(dir, 'key.pem');
    let port: number;
    let certificatePem: string | undefined;
    try {
      await mkdir(decodedDir);
      await writeFile(path.join(dir, 'vigie_smtp_handler.py'), HANDLER_PY);
      if (mode !== 'none') {
        runChecked(openssl, [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          keyPath,
          '-out',
          certPath,
        ]);
        certificatePem = await readFile(certPath, 'utf8');
      }
      port = await freeTcpPort();
    } catch (err: unknown) {
      await removeTempDir(dir);
      throw err;
    }
    const tlsArgs =
      mode === 'starttls'
        ? ['--tlscert', certPath, '--tlskey', keyPath, ...(options.allowClearText ? ['--no-requiretls'] : [])]
        : mode === 'implicit'
          ? ['--smtpscert', certPath, '--smtpskey', keyPath]
          : [];
    const auth = options.auth ? [options.auth.user, options.auth.password] : [];
    const proc = spawnServer(
      'aiosmtpd',
      python,
      [
        '-m',
        'aiosmtpd',
        // Stay the current user (as root it would setuid to nobody, who cannot write the temp dir).
        '--nosetuid',
        '-d',
        '-l',
        `${LOOPBACK}:${port}`,
        '-c',
        'vigie_smtp_handler.VigieMailbox',
        ...tlsArgs,
        '--',
        path.join(dir, 'maildir'),
        decodedDir,
        ...auth,
      ],
      {
        cwd: dir,
        env: { ...process.env, PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      },
    );
    await readyOrCleanUp(proc, dir, () => smtpBannerAnswers(LOOPBACK, port, mode === 'implicit'), {
      what: `aiosmtpd on ${LOOPBACK}:${port}`,
      deadlineMs: options.readyDeadlineMs ?? 10_000,
    });
    const messages = async (): Promise<ParsedMail[]> => {
      const files = (await readdir(decodedDir)).filter((f) => f.endsWith('.json')).sort();
      return Promise.all(
        files.map(async (f) => parsedMail(await readFile(path.join(decodedDir, f), 'utf8'))),
      );
    };
    return {
      host: LOOPBACK,
      port,
      certificatePem,
      dir,
      process: proc,
      stop: stopper(proc, dir),
      messages,
      waitForMessages: async (count, timeoutMs = 10_000) => {
        await waitFor(async () => (await messages()).length >= count, {
          what: `${count} message(s) at aiosmtpd on ${LOOPBACK}:${port}`,
          deadlineMs: timeoutMs,
          process: proc,
        });
        return messages();
      },
    };
  });
}

interface MailRecord {
  mailFrom: string;
  rcptTos: string[];
  tls: boolean;
  authenticatedAs: string | null;
  headers: [string, string][];
  text: string | null;
  raw: string;
  defects: string[];
}

function parsedMail(json: string): ParsedMail {
  const record = JSON.parse(json) as MailRecord;
  return {
    ...record,
    header: (name) => record.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
  };
}

/**
 * True once the server greets with a `220` reply (RFC 5321 section 4.3.1), read whole (multi-line
 * greetings end with `220 `). Over TLS from the first byte when `implicitTls` (the certificate is
 * not checked: this asks whether the server is up, not whether to trust it).
 */
export function smtpBannerAnswers(
  host: string,
  port: number,
  implicitTls = false,
  timeoutMs = 1_000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = implicitTls
      ? tls.connect({ host, port, rejectUnauthorized: false })
      : net.connect({ host, port });
    let received = '';
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const last = received.split('\r\n').find((line) => /^\d{3} /.test(line) || /^\d{3}$/.test(line));
      if (last !== undefined) finish(last.startsWith('220'));
    });
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}
