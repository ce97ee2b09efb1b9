/**
 * The outgoing channels of the alarm engine, mounted at `alarms.channels`: one SMTP relay for
 * e-mail and any number of JSON webhooks (ITSM tools such as ServiceNow). Secrets are references
 * (`env:NAME`, `file:/path`), resolved when a notice is sent; the file never holds them.
 */
import { z } from 'zod';
import { idSchema, secretRefSchema } from '../inventory/schema';

/** Bare ASCII address: what MAIL FROM carries without the SMTPUTF8 extension. */
const emailAddress = z.email({ error: 'must be an e-mail address such as vigie@example.org' });

/** RFC 9110 section 5.1 field name. */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/);
/** A record key that is not a header name says so, rather than zod's "Invalid key in record". */
const headerNameKey = {
  error: (issue: { code?: string }): string | undefined =>
    issue.code === 'invalid_key' ? 'not an HTTP header name (letters, digits, dashes)' : undefined,
};

/** Header names the sender sets itself, and the transport's own. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'idempotency-key',
  'host',
  'transfer-encoding',
  'connection',
]);
/** Names whose value is a credential: never written in clear in the file. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$/i;

export const emailChannelSchema = z
  .strictObject({
    /** The SMTP relay (submission server), a host name or address. */
    host: z.string().regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, 'must be a host name or an IP address'),
    port: z.number().int().min(1).max(65535).default(587),
    /**
     * `starttls` (port 587): refused if the relay does not offer it. `tls`: TLS from the first
     * byte (port 465). `none`: clear text, for a relay on the same machine; no login then.
     */
    security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
    /** The sender address of every notice. */
    from: emailAddress,
    /** Login at the relay; needs `passwordSecret`. */
    user: z.string().min(1).max(320).optional(),
    passwordSecret: secretRefSchema.optional(),
    /** PEM file of the CA that signed the relay's certificate (a private CA). */
    caFile: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .superRefine((email, ctx) => {
    if (email.user !== undefined && email.passwordSecret === undefined)
      ctx.addIssue({ code: 'custom', path: ['passwordSecret'], message: 'a user needs a passwordSecret' });
    if (email.passwordSecret !== undefined && email.user === undefined)
      ctx.addIssue({ code: 'custom', path: ['user'], message: 'a passwordSecret needs a user' });
    if (email.user !== undefined && email.security === 'none')
      ctx.addIssue({
        code: 'custom',
        path: ['security'],
        message: 'a login is never sent in clear text: use "starttls" or "tls" with a user',
      });
  });
export type EmailChannelConfig = z.infer<typeof emailChannelSchema>;

export const webhookChannelSchema = z
  .strictObject({
    /** Named by alarm rules. */
    id: idSchema,
    /** The final URL (redirects are not followed); no credentials in it: use headerSecrets. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
    /** Plain header values (e.g. `Accept-Language: fr`); credentials go in headerSecrets. */
    headers: z
      .record(
        headerName,
        z.string().regex(/^[\x20-\x7e]{0,1000}$/, 'must be printable ASCII on one line'),
        headerNameKey,
      )
      .default({}),
    /** Headers whose value is a secret reference, e.g. `Authorization: env:SERVICENOW_TOKEN`. */
    headerSecrets: z.record(headerName, secretRefSchema, headerNameKey).default({}),
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  })
  .superRefine((hook, ctx) => {
    const url = new URL(hook.url);
    if (url.username !== '' || url.password !== '')
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'must not hold credentials: put them in headerSecrets (e.g. Authorization)',
      });
    const seen = new Set<string>();
    for (const [section, names] of [
      ['headers', Object.keys(hook.headers)],
      ['headerSecrets', Object.keys(hook.headerSecrets)],
    ] as const) {
      for (const name of names) {
        const lower = name.toLowerCase();
        if (RESERVED_HEADERS.has(lower))
          ctx.addIssue({ code: 'custom', path: [section, name], message: `${name} is set by Vigie itself` });
        else if (seen.has(lower))
          ctx.addIssue({ code: 'custom', path: [section, name], message: `${name} is given twice` });
        else if (section === 'headers' && CREDENTIAL_HEADERS.test(name))
          ctx.addIssue({
            code: 'custom',
            path: [section, name],
            message: `${name} holds a credential: give it as a secret reference under headerSecrets`,
          });
        seen.add(lower);
      }
    }
  });
export type WebhookChannelConfig = z.infer<typeof webhookChannelSchema>;

/** `alarms.channels`: where notices can go. Alarm rules name the webhooks by id. */
export const notificationChannelsSchema = z
  .strictObject({
    email: emailChannelSchema.optional(),
    webhooks: z.array(webhookChannelSchema).max(50).default([]),
  })
  .superRefine((channels, ctx) => {
    const ids = new Set<string>();
    channels.webhooks.forEach((hook, i) => {
      if (ids.has(hook.id))
        ctx.addIssue({
          code: 'custom',
          path: ['webhooks', i, 'id'],
          message: `webhook id "${hook.id}" is used twice`,
        });
      ids.add(hook.id);
    });
  });
export type NotificationChannelsConfig = z.infer<typeof notificationChannelsSchema>;
