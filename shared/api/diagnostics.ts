/**
 * SSH diagnostics as the console sees them (issue 4): the allow-listed templates of a device,
 * the state of its pinned host key, and the result of a run. There is no free-form command here:
 * a run names a template the device allows and gives parameter values, which the engine checks
 * against the template's own schema. Plain data only: counters cross as decimal strings (they
 * are 64-bit and a JavaScript number would lose digits above 2^53).
 */
import { z } from 'zod';

const text = z.string().max(2000);
const deviceIdSchema = z.string().min(1).max(200);

/** An OpenSSH SHA-256 fingerprint as `ssh-keygen -l` prints it: `SHA256:` + 43 base64 characters. */
export const sshFingerprintSchema = z
  .string()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'must be an OpenSSH SHA-256 fingerprint: SHA256: then 43 base64 characters',
  );

/** Where the key was seen: `host:port`. */
const endpointSchema = z.string().max(300);
const keyTypeSchema = z.string().max(64);

/** A host key as a device presented it. */
export const presentedHostKeySchema = z.strictObject({
  keyType: keyTypeSchema,
  fingerprint: z.string().max(100),
  /** The public key blob, base64: a known_hosts line is `<keyType> <publicKey>`. */
  publicKey: z.string().max(16_384),
});
export type PresentedHostKeyView = z.infer<typeof presentedHostKeySchema>;

/**
 * Where a device's host key stands:
 * - `unknown`: no key pinned and none read lately: read it (`diagnostics.probeHostKey`) or run a
 *   diagnostic, which is refused with the key to confirm;
 * - `unconfirmed`: no key pinned; `presented` awaits an operator's comparison and confirmation;
 * - `pinned`: runs connect only to a device presenting `pinned`;
 * - `changed`: the device presented another key than `pinned`: connections are refused and a
 *   `diagnostics.hostKeyChanged` event was raised. Confirm `presented` only once its fingerprint
 *   was checked on the device (a re-installation) — it may be someone in the middle.
 */
export const hostKeyStateSchema = z.strictObject({
  deviceId: z.string(),
  state: z.enum(['unknown', 'unconfirmed', 'pinned', 'changed']),
  /** Where the device answers SSH (`host:port`). */
  endpoint: endpointSchema,
  pinned: z
    .strictObject({
      keyType: keyTypeSchema,
      fingerprint: z.string().max(100),
      endpoint: endpointSchema,
      pinnedAt: z.number(),
      /** The seat that confirmed it. */
      pinnedBy: text,
    })
    .nullable(),
  /** The latest key presented that is not the pin, while it can still be confirmed (15 minutes). */
  presented: presentedHostKeySchema.extend({ endpoint: endpointSchema, at: z.number() }).nullable(),
});
export type HostKeyStateView = z.infer<typeof hostKeyStateSchema>;

const paramTypeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pattern'), pattern: z.string(), maxLength: z.number().int() }),
  z.strictObject({ kind: z.literal('enum'), values: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('integer'), min: z.number(), max: z.number() }),
]);

/** A template a device allows, described for a form: its parameters and a preview of the command. */
export const diagnosticTemplateSchema = z.strictObject({
  id: z.string(),
  /** i18n key of the title (`diagnostics.template.uptime`). */
  titleKey: z.string(),
  params: z.array(
    z.strictObject({
      name: z.string(),
      /** i18n key of the label (`diagnostics.param.interface`). */
      titleKey: z.string(),
      type: paramTypeSchema,
    }),
  ),
  /** The command with `<name>` where parameters go, e.g. `ip -s link show dev <ifname>`. */
  preview: z.string(),
  /** Parser turning the output into readings (`uptime`, `df-posix`, `proc-net-dev`), or null. */
  parser: z.string().nullable(),
});
export type DiagnosticTemplate = z.infer<typeof diagnosticTemplateSchema>;

export const diagnosticTemplatesSchema = z.strictObject({
  deviceId: z.string(),
  /** How the device is reached; null when it has no SSH access configured (then no templates). */
  ssh: z.strictObject({ endpoint: endpointSchema, user: text }).nullable(),
  templates: z.array(diagnosticTemplateSchema),
});

/** A template id, as device configurations allow-list them. */
export const templateIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a template id (lower-case letters, digits, dashes)');

/** Parameter values by name; each template checks its own (types, patterns, ranges, unknown names). */
export const diagnosticParamsSchema = z
  .record(
    z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/, 'must be a parameter name'),
    z.union([z.string().max(1024), z.number()]),
  )
  .refine((params) => Object.keys(params).length <= 16, 'at most 16 parameters');

const labelsSchema = z.record(z.string(), z.string());

/** A value read from the output: gauges as numbers, counters (64-bit) as decimal strings. */
export const diagnosticReadingSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('gauge'),
    name: z.string(),
    labels: labelsSchema,
    value: z.number(),
    unit: z.string(),
  }),
  z.strictObject({
    kind: z.literal('counter'),
    name: z.string(),
    labels: labelsSchema,
    /** Exact decimal (bigint in the engine): parse with BigInt, never Number. */
    value: z.string().regex(/^\d{1,20}$/),
    unit: z.string(),
  }),
]);
export type DiagnosticReadingView = z.infer<typeof diagnosticReadingSchema>;

const runBase = {
  runId: z.string(),
  deviceId: z.string(),
  templateId: z.string(),
  /** The exact line the device's shell received. */
  commandLine: z.string(),
  startedAt: z.number(),
};

/** Characters of stdout, and of stderr, a run result carries at most (`clipped` beyond). */
export const DIAGNOSTIC_OUTPUT_LIMIT = 65_536;

export const diagnosticRunResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    ...runBase,
    status: z.literal('completed'),
    /** Exit status; null when the command died of a signal or was stopped at the output cap. */
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    stdout: z.string().max(DIAGNOSTIC_OUTPUT_LIMIT),
    stderr: z.string().max(DIAGNOSTIC_OUTPUT_LIMIT),
    /** The template's output cap was reached: the command was stopped, nothing was parsed. */
    truncated: z.boolean(),
    /** stdout or stderr was longer than DIAGNOSTIC_OUTPUT_LIMIT characters: only the start is here. */
    clipped: z.boolean(),
    durationMs: z.number(),
    /** The (pinned) host key of the connection. */
    hostKeyFingerprint: z.string(),
    readings: z.array(diagnosticReadingSchema),
    /** Why the output could not be parsed, when the template has a parser. */
    parseError: text.nullable(),
  }),
  z.strictObject({
    ...runBase,
    /** Refused before authentication (no credential was sent), because of the host key. */
    status: z.literal('refused'),
    reason: z.enum(['HOST_KEY_UNKNOWN', 'HOST_KEY_CHANGED']),
    /** The key the device presented: confirm it with `diagnostics.confirmHostKey` once compared. */
    presented: presentedHostKeySchema,
    /** For HOST_KEY_CHANGED: the pinned key it differs from. */
    pinned: z.strictObject({ keyType: keyTypeSchema, fingerprint: z.string().max(100) }).nullable(),
  }),
]);
export type DiagnosticRunResultView = z.infer<typeof diagnosticRunResultSchema>;

/** A device presented another host key than its pin: connections refused; an alarm source. */
export const hostKeyChangedSchema = z.strictObject({
  deviceId: z.string(),
  endpoint: endpointSchema,
  pinned: z.strictObject({ keyType: keyTypeSchema, fingerprint: z.string().max(100) }),
  presented: presentedHostKeySchema,
  at: z.number(),
});
export type HostKeyChangedView = z.infer<typeof hostKeyChangedSchema>;

export const diagnosticsRequestSchemas = {
  device: z.strictObject({ deviceId: deviceIdSchema }),
  confirm: z.strictObject({ deviceId: deviceIdSchema, fingerprint: sshFingerprintSchema }),
  run: z.strictObject({
    deviceId: deviceIdSchema,
    templateId: templateIdSchema,
    params: diagnosticParamsSchema.default({}),
  }),
};
