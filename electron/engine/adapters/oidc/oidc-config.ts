/**
 * Configuration of OpenID Connect sign-in (issue 6): one provider (Keycloak or any certified
 * OpenID provider), one client, and how the provider's claims become a Vigie person. The client
 * secret, for a confidential client, is a reference resolved when a code is exchanged; the file
 * never holds it. See docs/oidc.md.
 */
import { z } from 'zod';
import {
  ALL_CLIENTS,
  clientIdSchema,
  ROLES,
  roleSchema,
  type Role,
} from '../../../../shared/domain/identity';

/** Vigie's roles (shared/domain/identity.ts), re-exported for the mapping table. */
export const OIDC_ROLES = ROLES;
export type OidcRole = Role;

/** Signature algorithms this client verifies (node:crypto). HS* and `none` are never accepted. */
export const SUPPORTED_ID_TOKEN_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type IdTokenAlg = (typeof SUPPORTED_ID_TOKEN_ALGS)[number];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * The issuer identifier: https (http only on loopback, for a provider on the same machine and
 * for tests), no query or fragment (OIDC Discovery section 2, RFC 8414 section 2).
 */
const issuerSchema = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL such as https://sso.example.org/realms/ops' });
    return;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    ctx.addIssue({ code: 'custom', message: 'must be https (http only on 127.0.0.1, [::1] or localhost)' });
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#'))
    ctx.addIssue({ code: 'custom', message: 'must have no query and no fragment' });
  if (url.username !== '' || url.password !== '')
    ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password' });
});

/**
 * Where the client secret is read from: `env:NAME`, `file:/absolute/path` or `vault:NAME`
 * (the engine's secret store). Resolved by the resolver the engine passes in, never here.
 */
export const oidcSecretRefSchema = z
  .string()
  .regex(
    /^(env:[A-Z_][A-Z0-9_]{0,127}|file:\/[^\0\n]{1,1000}|vault:[A-Za-z0-9][A-Za-z0-9._/-]{0,127})$/,
    'must be a secret reference: env:VARIABLE_NAME, file:/absolute/path or vault:NAME',
  );

/** A claim, or a path into nested claims with dots: `realm_access.roles`, `resource_access.vigie.roles`. */
const claimPath = z
  .string()
  .regex(/^[A-Za-z0-9_:~-]{1,100}(\.[A-Za-z0-9_:~-]{1,100}){0,5}$/, 'must be a claim name or dotted path');

const roleOrRoles = z.union([roleSchema, z.array(roleSchema).min(1).max(ROLES.length)]);

/** A Vigie client id, or `*` for all. */
const clientOrAll = z.union([z.literal(ALL_CLIENTS), clientIdSchema]);

/** Claim values (group or role names as the provider spells them) are at most 256 characters. */
const claimValue = z.string().min(1).max(256);

export const oidcClaimMappingSchema = z.strictObject({
  /**
   * The claim that is the person's login (their Vigie id), lower-cased; it must then be a Vigie
   * login (2 to 64 of `a-z 0-9 . _ -`), so an e-mail address does not qualify.
   */
  login: claimPath.default('preferred_username'),
  /** The claim shown as the person's name; the login when the provider leaves it out. */
  displayName: claimPath.default('name'),
  roles: z.strictObject({
    /** Claims holding group or role names (a string or an array of strings), all read. */
    from: z.array(claimPath).min(1).max(10).default(['groups']),
    /**
     * Provider value → Vigie role(s), e.g. `vigie-operator: operator`. Values not listed give
     * nothing; a person with no mapped role is refused (there is no default role).
     */
    map: z.record(claimValue, roleOrRoles).refine((m) => Object.keys(m).length > 0, {
      message: 'must map at least one provider value to a Vigie role',
    }),
  }),
  /**
   * Which clients (institutions) the person sees. `all` (the default): every client, for a site
   * that does not scope by client. Otherwise claim values mapped to client ids, `*` for all; a
   * person with none is refused.
   */
  clients: z
    .union([
      z.literal('all'),
      z.strictObject({
        from: z.array(claimPath).min(1).max(10),
        map: z.record(claimValue, z.union([clientOrAll, z.array(clientOrAll).min(1).max(100)])),
      }),
    ])
    .default('all'),
});
export type OidcClaimMapping = z.infer<typeof oidcClaimMappingSchema>;

export const oidcConfigSchema = z.strictObject({
  /** Issuer identifier, exactly as the provider publishes it (Keycloak: `https://host/realms/NAME`). */
  issuer: issuerSchema,
  clientId: z.string().min(1).max(255),
  /** For a confidential client only; a public client with PKCE needs none. */
  clientSecret: oidcSecretRefSchema.optional(),
  /** How the secret is sent; `client_secret_basic` unless the provider needs the form body. */
  tokenEndpointAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post'])
    .default('client_secret_basic'),
  /** Scopes asked for besides `openid profile email` (e.g. `groups` where the provider needs it). */
  scopes: z
    .array(
      z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, 'must be a scope token (RFC 6749 section 3.3)'),
    )
    .max(20)
    .default([]),
  /** Path of the loopback redirect (`http://127.0.0.1:{port}{path}`), as registered with the provider. */
  redirectPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]{0,100}$/, 'must be a path such as / or /callback')
    .default('/'),
  /** ID token algorithms accepted (of those the provider publishes); never HS* nor `none`. */
  idTokenAlgs: z.array(z.enum(SUPPORTED_ID_TOKEN_ALGS)).min(1).default(['RS256', 'PS256', 'ES256']),
  claims: oidcClaimMappingSchema,
  timeouts: z
    .strictObject({
      /** Deadline of each request to the provider (discovery, keys, token), ms. */
      requestMs: z.number().int().min(500).max(120_000).default(10_000),
      /** How long the operator has to sign in in the browser, ms. */
      signInMs: z.number().int().min(10_000).max(3_600_000).default(300_000),
    })
    .prefault({}),
  /** Tolerated clock difference with the provider when checking `exp`, `iat` and `nbf`, s. */
  clockSkewSeconds: z.number().int().min(0).max(300).default(60),
  /** Bytes read at most from any answer of the provider. */
  maxResponseBytes: z
    .number()
    .int()
    .min(4096)
    .max(4 * 1024 * 1024)
    .default(256 * 1024),
});
export type OidcConfig = z.infer<typeof oidcConfigSchema>;
export type OidcConfigInput = z.input<typeof oidcConfigSchema>;
