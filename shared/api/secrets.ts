/**
 * The engine's secret vault as the console sees it (issue 6): names, whether a value is stored,
 * when it was last set, and which references of the configuration and inventory name it. Values
 * go one way only, console to engine (`secrets.set`): no response, event or list ever carries one.
 */
import { z } from 'zod';

/**
 * A secret's name, as written in a `vault:NAME` reference: lower-case letters, digits, `.`, `_`
 * and `-`, starting with a letter or digit, at most 64 characters.
 */
export const secretNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'must be lower-case letters, digits, ".", "_" and "-", starting with a letter or digit (at most 64)',
  );

/** The largest value, in UTF-8 bytes: an SSH private key (RSA 4096 in PEM is ~3.3 KiB) fits. */
export const SECRET_VALUE_MAX_BYTES = 16 * 1024;

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).byteLength;

/** A secret's value: non-empty, at most {@link SECRET_VALUE_MAX_BYTES} bytes in UTF-8. */
export const secretValueSchema = z
  .string()
  .min(1, 'must not be empty')
  // Characters first, so a huge string is refused before it is encoded.
  .max(SECRET_VALUE_MAX_BYTES, `must be at most ${SECRET_VALUE_MAX_BYTES} bytes`)
  .refine((v) => utf8Bytes(v) <= SECRET_VALUE_MAX_BYTES, `must be at most ${SECRET_VALUE_MAX_BYTES} bytes`);

/** One secret in `secrets.list`: stored (`configured`), named by the configuration, or both. */
export const secretSummarySchema = z.strictObject({
  name: secretNameSchema,
  /** A value is stored in the vault. */
  configured: z.boolean(),
  /** When the value was last set (ms since the epoch, UTC); null when none is stored. */
  updatedAt: z.number().int().nonnegative().nullable(),
  /**
   * Where the configuration and inventory name it (`vault:NAME`): the field's path, with the id
   * of list items (`inventory.devices[dc1-ups-1].snmp.communitySecret`). Empty: stored but unused.
   */
  usedBy: z.array(z.string().max(500)).max(1000),
});
export type SecretSummary = z.infer<typeof secretSummarySchema>;

export const secretsListRequestSchema = z.strictObject({});
export const secretsListResponseSchema = z.strictObject({
  secrets: z.array(secretSummarySchema).max(10_000),
  /**
   * Null when the vault can be used; else why not (no keyring, wrong key), naming the vault file.
   * The list then holds only what the configuration references, all `configured: false`.
   */
  unavailable: z.string().max(1000).nullable(),
});
export type SecretsListResponse = z.infer<typeof secretsListResponseSchema>;

export const secretsSetRequestSchema = z.strictObject({
  name: secretNameSchema,
  value: secretValueSchema,
  /** Why (recorded in the audit log with the name; never the value). */
  comment: z.string().max(500).optional(),
});
export type SecretsSetRequest = z.infer<typeof secretsSetRequestSchema>;
export const secretsSetResponseSchema = z.strictObject({
  name: secretNameSchema,
  updatedAt: z.number().int().nonnegative(),
  /** A value was already stored under this name and was replaced. */
  replaced: z.boolean(),
});
export type SecretsSetResponse = z.infer<typeof secretsSetResponseSchema>;

export const secretsDeleteRequestSchema = z.strictObject({
  name: secretNameSchema,
  comment: z.string().max(500).optional(),
});
export type SecretsDeleteRequest = z.infer<typeof secretsDeleteRequestSchema>;
export const secretsDeleteResponseSchema = z.strictObject({
  name: secretNameSchema,
  /** References that still name it (they will fail until it is set again). */
  stillUsedBy: z.array(z.string().max(500)).max(1000),
});
export type SecretsDeleteResponse = z.infer<typeof secretsDeleteResponseSchema>;
