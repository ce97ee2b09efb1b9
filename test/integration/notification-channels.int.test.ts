/**
 * The notification channels against real servers: SmtpEmailSender against Debian's aiosmtpd
 * (clear text, STARTTLS with a self-signed CA and AUTH, SMTPS), each message read back as
 * Python's `email` package decodes it; FetchWebhookSender against a node:http receiver
 * (statuses, a silent server, a redirect, an endless body, the Idempotency-Key).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  SmtpEmailSender,
  type SmtpEmailSenderOptions,
} from '../../electron/engine/adapters/smtp/smtp-email-sender';
import { FetchWebhookSender } from '../../electron/engine/adapters/webhook/fetch-webhook-sender';
import {
  NotificationRejectedError,
  type EmailMessage,
  type WebhookDelivery,
} from '../../electron/engine/ports/notification-channels';
import { UpstreamError } from '../../electron/engine/ports/upstream-error';
import { freeTcpPort, skipReason, withSkipReason } from '../servers/common';
import { SMTP_REQUIREMENTS, startSmtpServer, type SmtpServerHandle } from '../servers/smtp';

const smtpSkip = skipReason('aiosmtpd', SMTP_REQUIREMENTS);

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

const notice: EmailMessage = {
  from: 'vigie@example.org',
  to: ['ops@example.org'],
  subject: 'Alarme : onduleur UPS-1 sur batterie — Zone A',
  text: 'L’onduleur UPS-1 (salle énergie, zone A) est passé sur batterie.\nAutonomie estimée : 12 min.',
  messageId: 'alarm-17.1@vigie.example.org',
};

/** AUTH commands aiosmtpd logged (its -d log shows each command, credentials masked). */
function authCommands(server: SmtpServerHandle): number {
  return (server.process.logs().match(/>> b'AUTH /g) ?? []).length;
}

function smtpSender(
  server: SmtpServerHandle,
  options: Partial<SmtpEmailSenderOptions> = {},
): SmtpEmailSender {
  return new SmtpEmailSender({
    host: server.host,
    port: server.port,
    security: 'none',
    heloName: 'vigie.test',
    timeoutMs: 5_000,
    ...options,
  });
}

describe.skipIf(smtpSkip !== undefined)(withSkipReason('SmtpEmailSender on aiosmtpd', smtpSkip), () => {
  describe('clear text relay', () => {
    let server: SmtpServerHandle;
    beforeAll(async () => {
      server = await startSmtpServer();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('delivers a French notice: subject, body and Message-ID arrive intact, to every recipient', async () => {
      const before = (await server.messages()).length;
      await smtpSender(server).send(
        {
          ...notice,
          to: ['ops@example.org', 'astreinte@example.org'],
          headers: { 'X-Vigie-Alarm': 'alarm-17' },
        },
        never(),
      );
      const [mail] = (await server.waitForMessages(before + 1)).slice(before);
      expect(mail).toBeDefined();
      expect(mail!.mailFrom).toBe('vigie@example.org');
      expect(mail!.rcptTos).toEqual(['ops@example.org', 'astreinte@example.org']);
      expect(mail!.tls).toBe(false);
      expect(mail!.header('Subject')).toBe(notice.subject);
      expect(mail!.header('Message-ID')).toBe('<alarm-17.1@vigie.example.org>');
      expect(mail!.header('From')).toBe('vigie@example.org');
      expect(mail!.header('To')).toBe('ops@example.org, astreinte@example.org');
      expect(mail!.header('X-Vigie-Alarm')).toBe('alarm-17');
      expect(Date.parse(mail!.header('Date') ?? '')).toBeGreaterThan(Date.now() - 60_000);
      expect(mail!.text).toBe(notice.text.replace(/\n/g, '\r\n') + '\r\n');
      expect(mail!.defects).toEqual([]);
    });

    it('delivers a long Dutch subject split over several encoded words, decoded whole', async () => {
      const subject =
        'Kritiek alarm: UPS-2 op batterij — Zone B, stroomruimte 2, geschatte autonomie één uur; koeling uitgevallen in zaal B1';
      const before = (await server.messages()).length;
      await smtpSender(server).send(
        { ...notice, subject, messageId: 'alarm-18.1@vigie.example.org' },
        never(),
      );
      const [mail] = (await server.waitForMessages(before + 1)).slice(before);
      expect(mail!.raw).toMatch(/^Subject: =\?UTF-8\?B\?[^\r]+\r\n =\?UTF-8\?B\?/m);
      expect(mail!.header('Subject')).toBe(subject);
    });

    it('keeps lines that are a dot, or start with one (dot-stuffing)', async () => {
      const text = '.\n..\n.hidden\nfin.\n.';
      const before = (await server.messages()).length;
      await smtpSender(server).send({ ...notice, text, messageId: 'alarm-19.1@vigie.example.org' }, never());
      const [mail] = (await server.waitForMessages(before + 1)).slice(before);
      expect(mail!.text).toBe(`${text.replace(/\n/g, '\r\n')}\r\n`);
    });

    it('sends a retry with the same Message-ID, so that the mailbox can drop the duplicate', async () => {
      const before = (await server.messages()).length;
      const retry = { ...notice, messageId: '<alarm-20.1@vigie.example.org>' };
      await smtpSender(server).send(retry, never());
      await smtpSender(server).send(retry, never());
      const mails = (await server.waitForMessages(before + 2)).slice(before);
      expect(mails.map((m) => m.header('Message-ID'))).toEqual([
        '<alarm-20.1@vigie.example.org>',
        '<alarm-20.1@vigie.example.org>',
      ]);
    });

    it('fails naming the recipient the server refused, and delivers nothing', async () => {
      const before = (await server.messages()).length;
      const err = await failure(
        smtpSender(server).send({ ...notice, to: ['ops@example.org', 'reject-gone@example.org'] }, never()),
      );
      expect(err).toBeInstanceOf(NotificationRejectedError);
      expect(err).toMatchObject({ code: 'REJECTED', status: 550, permanent: true });
      expect(err.message).toContain(
        'recipient reject-gone@example.org: refused, the server answered 550 5.1.1',
      );
      expect(await server.messages()).toHaveLength(before);
    });

    it('refuses to send in clear text when STARTTLS is required and the server does not offer it', async () => {
      const before = (await server.messages()).length;
      const err = await failure(smtpSender(server, { security: 'starttls' }).send(notice, never()));
      expect(err.code).toBe('TLS');
      expect(err.message).toContain('the server does not offer STARTTLS');
      expect(await server.messages()).toHaveLength(before);
    });

    it('fails as UNREACHABLE when no server listens', async () => {
      const port = await freeTcpPort();
      const err = await failure(smtpSender(server, { port }).send(notice, never()));
      expect(err.code).toBe('UNREACHABLE');
      expect(err.message).toContain('ECONNREFUSED');
    });
  });

  describe('STARTTLS relay with a login', () => {
    let server: SmtpServerHandle;
    const auth = { user: 'vigie', password: 'correct horse battery staple' };
    beforeAll(async () => {
      server = await startSmtpServer({ tls: 'starttls', auth });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('upgrades, checks the certificate against the given CA, logs in, delivers', async () => {
      const before = (await server.messages()).length;
      await smtpSender(server, { security: 'starttls', ...auth, tls: { ca: server.certificatePem! } }).send(
        notice,
        never(),
      );
      const [mail] = (await server.waitForMessages(before + 1)).slice(before);
      expect(mail!.tls).toBe(true);
      expect(mail!.authenticatedAs).toBe('vigie');
      expect(mail!.header('Subject')).toBe(notice.subject);
      expect(mail!.header('Message-ID')).toBe('<alarm-17.1@vigie.example.org>');
    });

    it('refuses a certificate it cannot verify (no CA given), before any credential is sent', async () => {
      const authsBefore = authCommands(server);
      const err = await failure(smtpSender(server, { security: 'starttls', ...auth }).send(notice, never()));
      expect(err.code).toBe('TLS');
      expect(err.message).toMatch(/TLS failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
      expect(authCommands(server)).toBe(authsBefore);
    });

    it('fails as AUTH on a wrong password, without the password in the message', async () => {
      const before = (await server.messages()).length;
      const err = await failure(
        smtpSender(server, {
          security: 'starttls',
          user: 'vigie',
          password: 'wrong-password-123',
          tls: { ca: server.certificatePem! },
        }).send(notice, never()),
      );
      expect(err.code).toBe('AUTH');
      expect(err.message).toMatch(/^AUTH as vigie: refused, the server answered 535/);
      expect(err.message).not.toContain('wrong-password-123');
      expect(await server.messages()).toHaveLength(before);
    });

    it('is refused by a server that requires STARTTLS when told to send in clear text', async () => {
      const err = await failure(smtpSender(server).send(notice, never()));
      expect(err).toMatchObject({ code: 'REJECTED', status: 530 });
    });
  });

  describe('SMTPS relay (TLS from the first byte)', () => {
    let server: SmtpServerHandle;
    beforeAll(async () => {
      server = await startSmtpServer({ tls: 'implicit' });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('delivers over TLS with the CA given', async () => {
      await smtpSender(server, { security: 'tls', tls: { ca: server.certificatePem! } }).send(
        notice,
        never(),
      );
      const [mail] = await server.waitForMessages(1);
      expect(mail!.tls).toBe(true);
      expect(mail!.header('Subject')).toBe(notice.subject);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Webhooks

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

describe('FetchWebhookSender on a node:http receiver', () => {
  let server: http.Server;
  let base: string;
  const received: Received[] = [];
  /** How the receiver answers, per path. */
  const routes = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const route = routes.get(req.url ?? '');
        if (route) route(req, res);
        else res.writeHead(404).end('no such route');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    received.length = 0;
    routes.clear();
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const delivery = (path: string, more: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
    url: `${base}${path}`,
    payload: { short_description: 'UPS-1 sur batterie — zone A', urgency: 1, caller_id: 'vigie' },
    idempotencyKey: 'alarm-17.1',
    headers: { Authorization: 'Bearer s3cr3t-token', 'X-Tenant': 'dc' },
    ...more,
  });
  const sender = new FetchWebhookSender({ timeoutMs: 1_000 });

  it('posts the JSON payload with its content type, the Idempotency-Key and the configured headers', async () => {
    routes.set('/api/now/table/incident', (_req, res) =>
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"result":{"number":"INC0010001"}}'),
    );
    await expect(sender.post(delivery('/api/now/table/incident'), never())).resolves.toEqual({ status: 201 });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['idempotency-key']).toBe('alarm-17.1');
    expect(request!.headers.authorization).toBe('Bearer s3cr3t-token');
    expect(request!.headers['x-tenant']).toBe('dc');
    expect(JSON.parse(request!.body)).toEqual(delivery('/').payload);
  });

  it('sends the same Idempotency-Key on a retry, and a configured header cannot replace it', async () => {
    routes.set('/hook', (_req, res) => res.writeHead(204).end());
    const retry = delivery('/hook', {
      headers: { 'Idempotency-Key': 'other', 'Content-Type': 'text/plain' },
    });
    await sender.post(retry, never());
    await sender.post(retry, never());
    expect(received.map((r) => [r.headers['idempotency-key'], r.headers['content-type']])).toEqual([
      ['alarm-17.1', 'application/json'],
      ['alarm-17.1', 'application/json'],
    ]);
  });

  it('fails as REJECTED with the status and the start of the answer on a 500, worth a retry', async () => {
    routes.set('/hook', (_req, res) =>
      res.writeHead(500).end('{"error":{"message":"Database unavailable"}}'),
    );
    const err = await failure(sender.post(delivery('/hook'), never()));
    expect(err).toBeInstanceOf(NotificationRejectedError);
    expect(err).toMatchObject({ code: 'REJECTED', status: 500, permanent: false });
    expect(err.message).toBe('answered 500: {"error":{"message":"Database unavailable"}}');
    expect(err.source).toBe(`webhook:${base}`);
    expect(err.message).not.toContain('s3cr3t');
  });

  it('tells a permanent refusal (400, 401) from a transient one (429)', async () => {
    routes.set('/bad', (_req, res) => res.writeHead(400).end('bad payload'));
    routes.set('/auth', (_req, res) => res.writeHead(401).end());
    routes.set('/slow-down', (_req, res) => res.writeHead(429, { 'retry-after': '30' }).end());
    expect(await failure(sender.post(delivery('/bad'), never()))).toMatchObject({
      status: 400,
      permanent: true,
    });
    expect(await failure(sender.post(delivery('/auth'), never()))).toMatchObject({
      status: 401,
      permanent: true,
    });
    expect(await failure(sender.post(delivery('/slow-down'), never()))).toMatchObject({
      status: 429,
      permanent: false,
    });
  });

  it('fails as TIMEOUT when the receiver never answers', async () => {
    routes.set('/silent', () => undefined);
    const started = Date.now();
    const err = await failure(new FetchWebhookSender({ timeoutMs: 300 }).post(delivery('/silent'), never()));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toBe('no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails as TIMEOUT when the answer drips forever after its headers', async () => {
    routes.set('/drip', (_req, res) => {
      res.writeHead(500);
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const err = await failure(new FetchWebhookSender({ timeoutMs: 300 }).post(delivery('/drip'), never()));
    expect(err.code).toBe('TIMEOUT');
  });

  it('reads a bounded part of an endless 2xx answer and still succeeds', async () => {
    routes.set('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'y'.repeat(16 * 1024);
      const pump = (): void => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    await expect(
      new FetchWebhookSender({ timeoutMs: 5_000, maxResponseBytes: 32 * 1024 }).post(
        delivery('/endless'),
        never(),
      ),
    ).resolves.toEqual({ status: 200 });
  });

  it('does not follow a redirect, and says where it pointed without the query', async () => {
    routes.set('/old', (_req, res) => res.writeHead(302, { location: '/new?token=abc' }).end());
    routes.set('/new?token=abc', (_req, res) => res.writeHead(200).end());
    const err = await failure(sender.post(delivery('/old'), never()));
    expect(err).toMatchObject({ code: 'REJECTED', status: 302, permanent: true });
    expect(err.message).toBe(
      `answered 302, a redirect to ${base}/new: redirects are not followed, configure the final URL`,
    );
    expect(received.map((r) => r.url)).toEqual(['/old']);
  });

  it('fails as ABORTED when the caller aborts', async () => {
    routes.set('/silent', () => undefined);
    const controller = new AbortController();
    const posting = failure(sender.post(delivery('/silent'), controller.signal));
    setTimeout(() => controller.abort(), 50);
    expect((await posting).code).toBe('ABORTED');
  });

  it('fails as UNREACHABLE when nothing listens, as INVALID on a header that cannot be sent', async () => {
    const port = await freeTcpPort();
    const unreachable = await failure(
      sender.post(delivery('/', { url: `http://127.0.0.1:${port}/hook` }), never()),
    );
    expect(unreachable).toMatchObject({ code: 'UNREACHABLE', message: 'unreachable (ECONNREFUSED)' });
    const invalid = await failure(
      sender.post(delivery('/hook', { headers: { Authorization: 'Bearer a\r\nX-Evil: 1' } }), never()),
    );
    expect(invalid.code).toBe('INVALID');
    expect(invalid.message).not.toContain('Bearer');
    expect(received).toEqual([]);
  });
});
