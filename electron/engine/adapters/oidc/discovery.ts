/**
 * OpenID Provider metadata (OpenID Connect Discovery 1.0 section 4, RFC 8414). The `issuer` in
 * the document must equal the configured issuer exactly (section 4.3): a document that names
 * another issuer could lead the client to trust another provider's tokens.
 */
import { z } from 'zod';
import { boundedFetch, parseJson } from './bounded-fetch';
import type { IdTokenAlg } from './oidc-config';
import { OidcError } from './oidc-error';

const metadataSchema = z.object({
  issuer: z.string().max(2048),
  authorization_endpoint: z.string().max(2048),
  token_endpoint: z.string().max(2048),
  jwks_uri: z.string().max(2048),
  response_types_supported: z.array(z.string().max(100)).max(50).optional(),
  code_challenge_methods_supported: z.array(z.string().max(50)).max(20).optional(),
  id_token_signing_alg_values_supported: z.array(z.string().max(50)).max(50).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string().max(100)).max(20).optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
  end_session_endpoint: z.string().max(2048).optional(),
});

export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** The configured algorithms the provider may use (never empty). */
  readonly idTokenAlgs: readonly IdTokenAlg[];
  /** RFC 9207: the provider adds `iss` to its authorization responses, which must then match. */
  readonly issInAuthorizationResponse: boolean;
  readonly tokenEndpointAuthMethods: readonly string[] | undefined;
  readonly endSessionEndpoint: string | undefined;
}

export interface DiscoveryOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Algorithms the configuration accepts. */
  readonly algs: readonly IdTokenAlg[];
}

/** `{issuer}/.well-known/openid-configuration`, a trailing slash of the issuer dropped (section 4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Endpoints are https, or http on loopback when the issuer itself is. */
function checkEndpoint(name: string, value: string, issuer: URL): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OidcError('DISCOVERY', `discovery document: ${name} is not a URL`);
  }
  const insecureAllowed =
    issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && insecureAllowed))
    throw new OidcError('DISCOVERY', `discovery document: ${name} must be https`);
  if (url.hash !== '') throw new OidcError('DISCOVERY', `discovery document: ${name} has a fragment`);
  return url.href;
}

export async function discover(
  issuer: string,
  options: DiscoveryOptions,
  signal: AbortSignal,
): Promise<ProviderMetadata> {
  const fail = (message: string): OidcError => new OidcError('DISCOVERY', `discovery document: ${message}`);
  const res = await boundedFetch(discoveryUrl(issuer), {
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    signal,
    failCode: 'DISCOVERY',
    what: 'discovery document',
    headers: { accept: 'application/json' },
  });
  if (res.status !== 200) throw fail(`${discoveryUrl(issuer)} answered ${res.status}`);
  const parsed = metadataSchema.safeParse(parseJson(res.text, fail));
  if (!parsed.success)
    throw fail(
      `missing or wrong fields: ${parsed.error.issues
        .map((i) => i.path.join('.'))
        .slice(0, 5)
        .join(', ')}`,
    );
  const m = parsed.data;
  // Exact string comparison, no normalisation (Discovery section 4.3).
  if (m.issuer !== issuer)
    throw fail(
      `it names the issuer ${JSON.stringify(m.issuer.slice(0, 200))}, not the configured ${JSON.stringify(issuer)}`,
    );
  const issuerUrl = new URL(issuer);
  if (m.response_types_supported !== undefined && !m.response_types_supported.includes('code'))
    throw fail('the provider does not offer the authorization code flow');
  // Absent means "not published", which many providers leave out while enforcing PKCE anyway;
  // published without S256 means the provider would ignore our challenge.
  if (
    m.code_challenge_methods_supported !== undefined &&
    !m.code_challenge_methods_supported.includes('S256')
  )
    throw fail('the provider does not support PKCE with S256');
  // Section 3: id_token_signing_alg_values_supported is REQUIRED; RS256 is the default to assume.
  const offered = m.id_token_signing_alg_values_supported ?? ['RS256'];
  const algs = options.algs.filter((a) => offered.includes(a));
  if (algs.length === 0)
    throw fail(
      `the provider signs ID tokens with ${offered.slice(0, 10).join(', ')}, none of the accepted ${options.algs.join(', ')}`,
    );
  return {
    issuer: m.issuer,
    authorizationEndpoint: checkEndpoint('authorization_endpoint', m.authorization_endpoint, issuerUrl),
    tokenEndpoint: checkEndpoint('token_endpoint', m.token_endpoint, issuerUrl),
    jwksUri: checkEndpoint('jwks_uri', m.jwks_uri, issuerUrl),
    idTokenAlgs: algs,
    issInAuthorizationResponse: m.authorization_response_iss_parameter_supported === true,
    tokenEndpointAuthMethods: m.token_endpoint_auth_methods_supported,
    endSessionEndpoint:
      m.end_session_endpoint === undefined
        ? undefined
        : checkEndpoint('end_session_endpoint', m.end_session_endpoint, issuerUrl),
  };
}
