/**
 * Signing in, the seat's session, locking. A connection (a browser seat's WebSocket, or the
 * desktop seat) holds at most one session; the engine resolves it on every request, so an
 * expired, locked or withdrawn session stops working at once, on both transports.
 */
import { z } from 'zod';
import { roleSchema } from '../domain/identity';
import { capabilitySchema } from './access';

const login = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits, ".", "_", "@" and "-"');
const password = z.string().min(1).max(1024);
const totp = z.string().regex(/^\d{6}$/, 'six digits');

export const personSummarySchema = z.strictObject({
  id: z.string().min(1).max(128),
  displayName: z.string().max(200),
  roles: z.array(roleSchema),
  /** Client (institution) ids this person sees; `*` for all. */
  clients: z.array(z.string().max(100)),
  /** `local` account, `oidc` single sign-on, or `machine` (the local command line's key). */
  source: z.enum(['local', 'oidc', 'machine']),
});
export type PersonSummary = z.infer<typeof personSummarySchema>;

export const sessionInfoSchema = z.strictObject({
  state: z.enum(['anonymous', 'signed-in', 'locked']),
  person: personSummarySchema.nullable(),
  /** What this seat may do now (empty while locked; `view` alone for an anonymous viewer). */
  capabilities: z.array(capabilitySchema),
  /** When the session ends at the latest, and when it ends if left idle (epoch ms). */
  expiresAt: z.number().nullable(),
  idleExpiresAt: z.number().nullable(),
  /** Whether this engine lets seats view without signing in (wall displays). */
  anonymousViewing: z.boolean(),
  methods: z.strictObject({ password: z.boolean(), oidc: z.boolean() }),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const signInResultSchema = z.strictObject({
  session: sessionInfoSchema,
  /** Resumes this session after a reconnection; keep it for this tab only, never in a URL. */
  resumeToken: z.string().nullable(),
});
export type SignInResult = z.infer<typeof signInResultSchema>;

export const sessionRequestSchemas = {
  signIn: z.discriminatedUnion('method', [
    z.strictObject({ method: z.literal('password'), login, password, totp: totp.optional() }),
    /** The command line on the engine's own machine, with the key of the engine's runtime file. */
    z.strictObject({ method: z.literal('key'), key: z.string().min(1).max(200) }),
  ]),
  resume: z.strictObject({ token: z.string().min(1).max(200) }),
  unlock: z.strictObject({ password, totp: totp.optional() }),
  oidcFinish: z.strictObject({ flowId: z.string().min(1).max(100) }),
  changePassword: z.strictObject({ current: password, next: password }),
  totpConfirm: z.strictObject({ code: totp }),
};

export const totpEnrolmentSchema = z.strictObject({
  /** `otpauth://totp/...`: what the authenticator app scans (as a QR code) or is given. */
  uri: z.string().max(1000),
  /** The same secret in base32, for typing in by hand; shown to this person once. */
  secret: z.string().max(200),
});

export const oidcStartSchema = z.strictObject({
  flowId: z.string(),
  /** Open in the system browser; the engine waits for the identity provider's redirect. */
  url: z.string().url(),
});
