/**
 * Accounts as administrators manage them in the console (issue 6): who may sign in, with which
 * roles, for which clients. Credentials never come back: an account says whether it has a
 * password and TOTP, not what they are. Passwords go one way, console to engine.
 */
import { z } from 'zod';
import { clientScopeSchema, identitySourceSchema, loginSchema, roleListSchema } from '../domain/identity';

const displayName = z.string().trim().min(1).max(120);
const password = z.string().min(1).max(1024);

export const accountSchema = z.strictObject({
  id: loginSchema,
  displayName: z.string(),
  roles: roleListSchema,
  clients: clientScopeSchema,
  source: identitySourceSchema,
  disabled: z.boolean(),
  hasPassword: z.boolean(),
  totpEnrolled: z.boolean(),
  /** Locked out by failed sign-ins until then (epoch ms), or null. */
  lockedUntil: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Account = z.infer<typeof accountSchema>;

export const userRequestSchemas = {
  create: z.strictObject({
    id: loginSchema,
    displayName,
    roles: roleListSchema,
    clients: clientScopeSchema,
    /** The first password (the person should change it); omitted for single sign-on accounts. */
    password: password.optional(),
    source: identitySourceSchema.default('local'),
  }),
  update: z.strictObject({
    id: loginSchema,
    roles: roleListSchema.optional(),
    clients: clientScopeSchema.optional(),
    /** Disabling ends the person's sessions at once. */
    disabled: z.boolean().optional(),
  }),
  setPassword: z.strictObject({ id: loginSchema, password }),
  removeTotp: z.strictObject({ id: loginSchema }),
};

export const accountListSchema = z.strictObject({ accounts: z.array(accountSchema) });
