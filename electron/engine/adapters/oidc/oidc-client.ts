/**
 * OpenID Connect sign-in for a native app (RFC 8252): authorization code with PKCE (RFC 7636)
 * through the system browser and a loopback redirect, then the ID token verified here with
 * node:crypto and its claims mapped to a Vigie person. No OIDC library: the flow is small and
 * every check is visible (OIDC Core sections 3.1.2 to 3.1.3.7).
 *
 * Nothing secret leaves this module: the result carries the person and a few claims, never the
 * code, the verifier or a token; errors carry a code and a message free of them.
 */
import type { Logger } from '../../ports/logger';
import { silentLogger } from '../../ports/logger';
import { boundedFetch, parseJson } from './bounded-fetch';
import { mapClaimsToPerson, type OidcPerson } from './claim-mapping';
import { discover, type ProviderMetadata } from './discovery';
import { verifyIdToken, type IdTokenClaims } from './id-token';
import { JwksCache } from './jwks';
import { openLoopbackRedirect } from './loopback-redirect';
import type { OidcConfig } from './oidc-config';
import { OidcError, providerText } from './oidc-error';
import { missingCase } from '../../../../shared/domain/missing-case';
import { codeChallengeS256, createCodeVerifier, randomToken } from './pkce';

/** Scopes always asked for (OIDC Core section 5.4). */
const BASE_SCOPES = ['openid', 'profile', 'email'];
/** Provider metadata is discovered again after this long, in case keys or endpoints moved. */
const METADATA_MAX_AGE_MS = 60 * 60 * 1000;

export interface OidcClientDeps {
  /** Resolves the `clientSecret` reference (`env:`, `file:`, `vault:`); only called for confidential clients. */
  readonly resolveSecret?: (ref: string) => Promise<string>;
  readonly logger?: Logger;
  /** Epoch ms; tests pass a fixed clock. */
  readonly now?: () => number;
}

export interface SignInOptions {
  /** Cancels the sign-in (the operator closed the dialog, the engine stops). */
  readonly signal?: AbortSignal;
  /** Overrides `timeouts.signInMs`. */
  readonly timeoutMs?: number;
}

/** A person who signed in, with what an audit entry and a session need. */
export interface OidcSignInResult {
  readonly person: OidcPerson;
  readonly issuer: string;
  /** The provider's stable id of the person (`sub`). */
  readonly subject: string;
  readonly email: string | undefined;
  /** When the provider authenticated the person (`auth_time`), epoch ms, if it said. */
  readonly authenticatedAt: number | undefined;
  /** Expiry of the ID token, epoch ms: a session should not outlive the provider's say by much. */
  readonly idTokenExpiresAt: number;
}

/** A sign-in waiting for the browser. */
export interface PendingSignIn {
  /** Open this in the system browser (Electron `shell.openExternal`, or print it). */
  readonly authorizationUrl: string;
  readonly redirectUri: string;
  /** Settles when the browser comes back: the person, or an OidcError. */
  readonly result: Promise<OidcSignInResult>;
  /** Gives up: `result` rejects with ABORTED and the listener closes. */
  cancel(): void;
}

export class OidcClient {
  private metadata: { value: ProviderMetadata; at: number; jwks: JwksCache } | null = null;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(
    private readonly config: OidcConfig,
    private readonly deps: OidcClientDeps = {},
  ) {
    this.logger = (deps.logger ?? silentLogger).child({ module: 'oidc', issuer: config.issuer });
    this.now = deps.now ?? Date.now;
  }

  /** Discovery (cached for an hour): call at start-up to report a wrong issuer before anyone signs in. */
  async provider(signal: AbortSignal): Promise<ProviderMetadata> {
    return (await this.discovered(signal)).value;
  }

  private async discovered(signal: AbortSignal): Promise<{ value: ProviderMetadata; jwks: JwksCache }> {
    if (this.metadata !== null && this.now() - this.metadata.at < METADATA_MAX_AGE_MS) return this.metadata;
    const value = await discover(
      this.config.issuer,
      {
        timeoutMs: this.config.timeouts.requestMs,
        maxBytes: this.config.maxResponseBytes,
        algs: this.config.idTokenAlgs,
      },
      signal,
    );
    // Keep the key cache across rediscovery when the JWKS address did not change.
    const jwks =
      this.metadata?.value.jwksUri === value.jwksUri
        ? this.metadata.jwks
        : new JwksCache(value.jwksUri, {
            timeoutMs: this.config.timeouts.requestMs,
            maxBytes: this.config.maxResponseBytes,
            now: this.now,
          });
    this.metadata = { value, at: this.now(), jwks };
    return this.metadata;
  }

  /**
   * Starts a sign-in: discovers the provider, opens the loopback listener and returns the URL to
   * open. `result` settles when the browser comes back, after the timeout, or on cancel.
   */
  async startSignIn(options: SignInOptions = {}): Promise<PendingSignIn> {
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const { value: provider, jwks } = await this.discovered(signal);

    const loopback = await openLoopbackRedirect({
      path: this.config.redirectPath,
      timeoutMs: options.timeoutMs ?? this.config.timeouts.signInMs,
      signal,
    });
    const verifier = createCodeVerifier();
    const state = randomToken();
    const nonce = randomToken();
    const url = new URL(provider.authorizationEndpoint);
    const scopes = [...new Set([...BASE_SCOPES, ...this.config.scopes])];
    // set(): the endpoint may carry its own query (RFC 6749 section 3.1), ours wins on a clash.
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('redirect_uri', loopback.redirectUri);
    url.searchParams.set('scope', scopes.join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('code_challenge', codeChallengeS256(verifier));
    url.searchParams.set('code_challenge_method', 'S256');

    const result = this.finish(provider, jwks, loopback, { verifier, state, nonce }, signal);
    // The caller may attach its handler later; its own await still sees the rejection.
    result.catch(() => undefined);
    this.logger.info({ redirectUri: loopback.redirectUri }, 'sign-in started');
    return {
      authorizationUrl: url.href,
      redirectUri: loopback.redirectUri,
      result,
      cancel: () => controller.abort(),
    };
  }

  private async finish(
    provider: ProviderMetadata,
    jwks: JwksCache,
    loopback: Awaited<ReturnType<typeof openLoopbackRedirect>>,
    secrets: { verifier: string; state: string; nonce: string },
    signal: AbortSignal,
  ): Promise<OidcSignInResult> {
    const cb = await loopback.callback;
    try {
      const outcome = await this.complete(provider, jwks, loopback.redirectUri, cb.params, secrets, signal);
      cb.respond('success', `Signed in as ${outcome.person.displayName}.`);
      this.logger.info({ person: outcome.person.id, roles: outcome.person.roles }, 'signed in');
      return outcome;
    } catch (err: unknown) {
      const text = err instanceof OidcError ? browserMessage(err) : 'The sign-in failed; Vigie says why.';
      cb.respond('failure', text);
      if (err instanceof OidcError) {
        this.logger.warn({ code: err.code, reason: err.reason }, `sign-in refused: ${err.message}`);
        throw err;
      }
      this.logger.error({ err }, 'sign-in failed');
      throw err;
    } finally {
      await loopback.close();
    }
  }

  private async complete(
    provider: ProviderMetadata,
    jwks: JwksCache,
    redirectUri: string,
    params: URLSearchParams,
    secrets: { verifier: string; state: string; nonce: string },
    signal: AbortSignal,
  ): Promise<OidcSignInResult> {
    // State first: an answer to another request says nothing we can trust, error or not
    // (RFC 6749 sections 4.1.2.1 and 10.12).
    const state = params.get('state');
    if (state === null || state !== secrets.state || params.getAll('state').length !== 1)
      throw new OidcError(
        'STATE_MISMATCH',
        "the browser came back with another sign-in's answer (state mismatch)",
      );
    // RFC 9207: a provider that says it sends `iss` must send its own, against mix-up attacks.
    const iss = params.get('iss');
    if ((provider.issInAuthorizationResponse || iss !== null) && iss !== provider.issuer)
      throw new OidcError('STATE_MISMATCH', 'the answer names another issuer (iss mismatch)');
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description');
      throw new OidcError(
        'DENIED',
        `the provider refused the sign-in: ${providerText(error, [], 64)}${
          description ? ` (${providerText(description)})` : ''
        }`,
      );
    }
    const code = params.get('code');
    if (code === null || code === '' || params.getAll('code').length !== 1)
      throw new OidcError('TOKEN', 'the answer carries no authorization code');

    const idToken = await this.exchange(provider, redirectUri, code, secrets.verifier, signal);
    const claims: IdTokenClaims = await verifyIdToken(
      idToken,
      jwks,
      {
        issuer: provider.issuer,
        clientId: this.config.clientId,
        nonce: secrets.nonce,
        algs: provider.idTokenAlgs,
        nowSeconds: Math.floor(this.now() / 1000),
        clockSkewSeconds: this.config.clockSkewSeconds,
      },
      signal,
    );
    const person = mapClaimsToPerson(claims, this.config.claims);
    const email = claims['email'];
    const authTime = claims['auth_time'];
    return {
      person,
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof email === 'string' && Object.hasOwn(claims, 'email') ? email : undefined,
      authenticatedAt:
        typeof authTime === 'number' && Object.hasOwn(claims, 'auth_time') ? authTime * 1000 : undefined,
      idTokenExpiresAt: claims.exp * 1000,
    };
  }

  /** The code for tokens at the token endpoint (RFC 6749 section 4.1.3, RFC 7636 section 4.5); returns the ID token. */
  private async exchange(
    provider: ProviderMetadata,
    redirectUri: string,
    code: string,
    verifier: string,
    signal: AbortSignal,
  ): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const redact = [code, verifier];
    if (this.config.clientSecret === undefined) {
      form.set('client_id', this.config.clientId);
    } else {
      if (this.deps.resolveSecret === undefined)
        throw new OidcError('TOKEN', 'a client secret is configured but the engine gave no secret resolver');
      let secret: string;
      try {
        secret = await this.deps.resolveSecret(this.config.clientSecret);
      } catch (err: unknown) {
        throw new OidcError(
          'TOKEN',
          `the client secret ${this.config.clientSecret} cannot be read`,
          undefined,
          {
            cause: err,
          },
        );
      }
      redact.push(secret);
      if (this.config.tokenEndpointAuthMethod === 'client_secret_post') {
        form.set('client_id', this.config.clientId);
        form.set('client_secret', secret);
      } else {
        // RFC 6749 section 2.3.1: both parts form-encoded before base64.
        const user = encodeURIComponent(this.config.clientId).replace(/%20/g, '+');
        const pass = encodeURIComponent(secret).replace(/%20/g, '+');
        headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      }
    }
    const res = await boundedFetch(provider.tokenEndpoint, {
      method: 'POST',
      headers,
      body: form.toString(),
      timeoutMs: this.config.timeouts.requestMs,
      maxBytes: this.config.maxResponseBytes,
      signal,
      failCode: 'TOKEN',
      what: 'token endpoint',
    });
    const fail = (message: string): OidcError => new OidcError('TOKEN', `token endpoint: ${message}`);
    const body = parseJson(res.text, () => fail(`answered ${res.status} without JSON`));
    const read = (key: 'id_token' | 'token_type' | 'error' | 'error_description'): unknown =>
      typeof body === 'object' && body !== null && Object.hasOwn(body, key)
        ? (body as Record<string, unknown>)[key]
        : undefined;
    if (res.status !== 200) {
      const error = read('error');
      const description = read('error_description');
      throw fail(
        `answered ${res.status}${typeof error === 'string' ? `: ${providerText(error, redact, 64)}` : ''}${
          typeof description === 'string' ? ` (${providerText(description, redact)})` : ''
        }`,
      );
    }
    const tokenType = read('token_type');
    if (typeof tokenType !== 'string') throw fail('the answer has no token_type');
    const idToken = read('id_token');
    if (typeof idToken !== 'string' || idToken === '')
      throw fail('the answer has no id_token (is "openid" among the client\'s allowed scopes?)');
    return idToken;
  }
}

/** What the browser page says: the gist, in words for the person at the browser. */
function browserMessage(err: OidcError): string {
  switch (err.code) {
    case 'DENIED':
      return 'The sign-in was refused.';
    case 'NO_ROLE':
      return 'You signed in, but your account has no Vigie role. Ask an administrator.';
    case 'NO_CLIENT':
      return 'You signed in, but your account is not given any client. Ask an administrator.';
    case 'STATE_MISMATCH':
      return 'This answer does not belong to the sign-in Vigie started. Start again from Vigie.';
    case 'TIMEOUT':
    case 'ABORTED':
      return 'The sign-in was abandoned. Start again from Vigie.';
    case 'DISCOVERY':
    case 'TOKEN':
    case 'ID_TOKEN_INVALID':
    case 'CLAIMS':
    case 'LISTENER':
      return 'The sign-in failed; Vigie says why.';
    default:
      throw missingCase(err.code);
  }
}
