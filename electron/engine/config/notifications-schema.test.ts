import { describe, expect, it } from 'vitest';
import { notificationChannelsSchema } from './notifications-schema';

/** The issues of an invalid section, as `path: message` lines. */
function issues(input: unknown): string[] {
  const result = notificationChannelsSchema.safeParse(input);
  if (result.success) throw new Error('expected the section to be refused');
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const hook = { id: 'servicenow', url: 'https://example.service-now.com/api/now/table/incident' };

describe('alarms.channels', () => {
  it('fills the defaults: submission port with STARTTLS, 10 s for e-mail, 5 s and no headers for webhooks', () => {
    const parsed = notificationChannelsSchema.parse({
      email: { host: 'smtp.example.org', from: 'vigie@example.org' },
      webhooks: [hook],
    });
    expect(parsed).toEqual({
      email: {
        host: 'smtp.example.org',
        port: 587,
        security: 'starttls',
        from: 'vigie@example.org',
        timeoutMs: 10_000,
      },
      webhooks: [{ ...hook, headers: {}, headerSecrets: {}, timeoutMs: 5000 }],
    });
  });

  it('is valid empty: no e-mail, no webhooks', () => {
    expect(notificationChannelsSchema.parse({})).toEqual({ webhooks: [] });
  });

  it('reads a relay with a login and a ServiceNow webhook whose token is a secret reference', () => {
    const parsed = notificationChannelsSchema.parse({
      email: {
        host: 'smtp.example.org',
        port: 465,
        security: 'tls',
        from: 'vigie@example.org',
        user: 'vigie',
        passwordSecret: 'env:VIGIE_SMTP_PASSWORD',
        caFile: '/etc/vigie/ca.pem',
      },
      webhooks: [
        {
          ...hook,
          headers: { 'Accept-Language': 'fr' },
          headerSecrets: { Authorization: 'file:/run/secrets/servicenow-token' },
          timeoutMs: 3000,
        },
      ],
    });
    expect(parsed.email?.passwordSecret).toBe('env:VIGIE_SMTP_PASSWORD');
    expect(parsed.webhooks[0]?.headerSecrets).toEqual({
      Authorization: 'file:/run/secrets/servicenow-token',
    });
  });

  it('names the field of each error', () => {
    expect(
      issues({
        email: { host: 'smtp example', port: 70_000, security: 'ssl', from: 'not an address', timeoutMs: 5 },
      }),
    ).toEqual([
      'email.host: must be a host name or an IP address',
      expect.stringMatching(/^email\.port: /),
      expect.stringMatching(/^email\.security: /),
      'email.from: must be an e-mail address such as vigie@example.org',
      expect.stringMatching(/^email\.timeoutMs: /),
    ]);
  });

  it('refuses a login without a password reference, and a password written in clear', () => {
    expect(issues({ email: { host: 'smtp.example.org', from: 'v@example.org', user: 'vigie' } })).toEqual([
      'email.passwordSecret: a user needs a passwordSecret',
    ]);
    expect(
      issues({
        email: { host: 'smtp.example.org', from: 'v@example.org', user: 'vigie', passwordSecret: 'hunter2' },
      }),
    ).toEqual([
      'email.passwordSecret: must be a secret reference: env:VARIABLE_NAME, file:/absolute/path or vault:name',
    ]);
    expect(
      issues({ email: { host: 'smtp.example.org', from: 'v@example.org', password: 'hunter2' } }),
    ).toEqual([expect.stringMatching(/^email: .*password/)]);
  });

  it('refuses a login over clear text', () => {
    expect(
      issues({
        email: {
          host: 'localhost',
          port: 25,
          security: 'none',
          from: 'v@example.org',
          user: 'u',
          passwordSecret: 'env:P',
        },
      }),
    ).toEqual(['email.security: a login is never sent in clear text: use "starttls" or "tls" with a user']);
  });

  it('refuses a webhook URL that is not http(s) or that holds credentials', () => {
    expect(issues({ webhooks: [{ id: 'a', url: 'ftp://example.org/x' }] })).toEqual([
      'webhooks.0.url: must be an http or https URL',
    ]);
    expect(issues({ webhooks: [{ id: 'a', url: 'https://admin:secret@example.org/x' }] })).toEqual([
      'webhooks.0.url: must not hold credentials: put them in headerSecrets (e.g. Authorization)',
    ]);
  });

  it('refuses a credential header in clear, a header Vigie sets, a header given twice', () => {
    expect(
      issues({
        webhooks: [
          {
            ...hook,
            headers: { authorization: 'Bearer abc', 'Idempotency-Key': 'x', 'X-Tenant': 'a' },
            headerSecrets: { 'x-tenant': 'env:TENANT' },
          },
        ],
      }),
    ).toEqual([
      'webhooks.0.headers.authorization: authorization holds a credential: give it as a secret reference under headerSecrets',
      'webhooks.0.headers.Idempotency-Key: Idempotency-Key is set by Vigie itself',
      'webhooks.0.headerSecrets.x-tenant: x-tenant is given twice',
    ]);
  });

  it('refuses a header name that is not one', () => {
    expect(issues({ webhooks: [{ ...hook, headerSecrets: { 'bad name': 'env:TOKEN' } }] })).toEqual([
      'webhooks.0.headerSecrets.bad name: not an HTTP header name (letters, digits, dashes)',
    ]);
  });

  it('refuses a header value with a line break (header injection)', () => {
    expect(issues({ webhooks: [{ ...hook, headers: { 'X-Note': 'a\r\nX-Evil: 1' } }] })).toEqual([
      'webhooks.0.headers.X-Note: must be printable ASCII on one line',
    ]);
  });

  it('refuses two webhooks with one id, pointing at the second', () => {
    expect(issues({ webhooks: [hook, { ...hook, url: 'https://other.example.org/' }] })).toEqual([
      'webhooks.1.id: webhook id "servicenow" is used twice',
    ]);
  });

  it('refuses unknown fields', () => {
    expect(issues({ email: { host: 'h', from: 'v@example.org', pasword: 'x' }, sms: {} })).toEqual([
      expect.stringMatching(/^email: .*pasword/),
      expect.stringMatching(/^: .*sms/),
    ]);
  });
});
