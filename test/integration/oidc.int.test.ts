/**
 * The OIDC client against a real OpenID provider: `oidc-provider` (panva's OpenID Certified
 * implementation) in-process on loopback, its login and consent pages driven by a fetch
 * "browser" that keeps cookies. The whole native-app flow runs for real: discovery, loopback
 * redirect on a random port, authorization code with PKCE (required by the provider), token
 * exchange, ID token verification against the provider's JWKS, claim mapping to a Vigie person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../electron/engine/ports/logger';
import { OidcClient, type PendingSignIn } from '../../electron/engine/adapters/oidc/oidc-client';
import { oidcConfigSchema, type OidcConfigInput } from '../../electron/engine/adapters/oidc/oidc-config';
import { OidcError } from '../../electron/engine/adapters/oidc/oidc-error';
import {
  startOidcProvider,
  TestBrowser,
  type BrowserPage,
  type OidcProviderHandle,
} from '../servers/oidc-provider';

const SECRET = 'confidential-client-secret-0123456789';

let provider: OidcProviderHandle;

beforeAll(async () => {
  provider = await startOidcProvider({
    clients: [
      { clientId: 'vigie' },
      { clientId: 'vigie-es256', idTokenAlg: 'ES256' },
      { clientId: 'vigie-ps256', idTokenAlg: 'PS256' },
      { clientId: 'vigie-confidential', secret: SECRET },
    ],
    accounts: {
      alice: {
        name: 'Alice Martin',
        preferred_username: 'alice',
        email: 'alice@example.org',
        groups: ['vigie-operator', 'vigie-oncall', 'client-acme', 'unrelated'],
      },
      bob: { name: 'Bob', preferred_username: 'bob', groups: ['staff'] },
    },
  });
});

afterAll(async () => {
  await provider?.stop();
});

function client(overrides: Partial<OidcConfigInput> = {}): OidcClient {
  const config = oidcConfigSchema.parse({
    issuer: provider.issuer,
    clientId: 'vigie',
    scopes: ['groups'],
    claims: {
      roles: {
        from: ['groups'],
        map: { 'vigie-operator': 'operator', 'vigie-oncall': ['oncall', 'viewer'] },
      },
      clients: { from: ['groups'], map: { 'client-acme': 'acme' } },
    },
    timeouts: { signInMs: 30_000 },
    ...overrides,
  });
  return new OidcClient(config, {
    resolveSecret: (ref) => Promise.resolve(ref === 'env:VIGIE_OIDC_SECRET' ? SECRET : ''),
  });
}

/** Logs in as `login` on the provider's pages and consents; returns the page the loopback answered. */
async function signInInBrowser(
  browser: TestBrowser,
  pending: PendingSignIn,
  login: string,
): Promise<BrowserPage> {
  const loginPage = await browser.open(pending.authorizationUrl);
  expect(loginPage.html).toContain('name="login"');
  const consentPage = await browser.submitForm(loginPage, { login, password: 'any' });
  expect(consentPage.html).toContain('value="consent"');
  return browser.submitForm(consentPage);
}

async function rejection(promise: Promise<unknown>): Promise<OidcError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof OidcError)) throw outcome;
  return outcome;
}

describe('OIDC sign-in against oidc-provider', () => {
  it('runs code + PKCE through the browser and returns a verified, mapped person', async () => {
    const pending = await client().startSignIn();
    const auth = new URL(pending.authorizationUrl);
    expect(auth.origin).toBe(provider.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(auth.searchParams.get('scope')).toBe('openid profile email groups');

    const browser = new TestBrowser();
    const final = await signInInBrowser(browser, pending, 'alice');
    const result = await pending.result;

    expect(result.person).toEqual({
      id: 'alice',
      displayName: 'Alice Martin',
      roles: ['viewer', 'operator', 'oncall'],
      clients: ['acme'],
      source: 'oidc',
      disabled: false,
    });
    expect(result.issuer).toBe(provider.issuer);
    expect(result.subject).toBe('alice');
    expect(result.email).toBe('alice@example.org');
    expect(result.idTokenExpiresAt).toBeGreaterThan(Date.now());
    // The browser reached our loopback listener, which said it can be closed, with no script.
    expect(final.url.startsWith(pending.redirectUri)).toBe(true);
    expect(final.status).toBe(200);
    expect(final.html).toContain('Signed in as Alice Martin');
    expect(final.html).toContain('You can close this window');
    expect(final.html).not.toContain('<script');
    // The code really went through the token endpoint, keys through the JWKS.
    expect(provider.requests).toContain('POST /token');
    expect(provider.requests).toContain('GET /jwks');
    // A second redirect finds the listener closed.
    await expect(fetch(final.url, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it.each(['ES256', 'PS256'] as const)('verifies ID tokens the provider signs with %s', async (alg) => {
    const pending = await client({
      clientId: `vigie-${alg.toLowerCase()}`,
      idTokenAlgs: [alg],
    }).startSignIn();
    await signInInBrowser(new TestBrowser(), pending, 'alice');
    expect((await pending.result).person.id).toBe('alice');
  });

  it('authenticates a confidential client with its secret from the resolver', async () => {
    const pending = await client({
      clientId: 'vigie-confidential',
      clientSecret: 'env:VIGIE_OIDC_SECRET',
    }).startSignIn();
    await signInInBrowser(new TestBrowser(), pending, 'alice');
    expect((await pending.result).person.roles).toContain('operator');
  });

  it('reports a refused code as TOKEN without the code, the verifier or the secret in messages or logs', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (o, m) => lines.push(JSON.stringify([o, m])),
      info: (o, m) => lines.push(JSON.stringify([o, m])),
      warn: (o, m) => lines.push(JSON.stringify([o, m])),
      error: (o, m) => lines.push(JSON.stringify([o, m])),
      child: () => logger,
    };
    const config = oidcConfigSchema.parse({
      issuer: provider.issuer,
      clientId: 'vigie-confidential',
      clientSecret: 'env:VIGIE_OIDC_SECRET',
      claims: { roles: { map: { 'vigie-operator': 'operator' } } },
    });
    const wrongSecret = 'not-the-right-secret-9876543210';
    const pending = await new OidcClient(config, {
      resolveSecret: () => Promise.resolve(wrongSecret),
      logger,
    }).startSignIn();
    const browser = new TestBrowser();
    await signInInBrowser(browser, pending, 'alice');
    const err = await rejection(pending.result);
    expect(err.code).toBe('TOKEN');
    expect(err.message).toContain('invalid_client');
    const redirect = browser.history.find((u) => u.startsWith(pending.redirectUri)) ?? '';
    const code = new URL(redirect).searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThan(10);
    for (const text of [err.message, ...lines]) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(wrongSecret);
    }
    expect(lines.some((l) => l.includes('sign-in refused'))).toBe(true);
  });

  it('refuses an answer whose state is not the one sent, and never redeems its code', async () => {
    const pending = await client().startSignIn();
    // The browser is sent back to our listener with a state of another sign-in.
    const browser = new TestBrowser((url) => {
      if (!url.href.startsWith(pending.redirectUri) || !url.searchParams.has('code')) return url;
      const forged = new URL(url);
      forged.searchParams.set('state', 'another-sign-in-state-aaaaaaaaaaaa');
      return forged;
    });
    const tokenCalls = provider.requests.filter((r) => r === 'POST /token').length;
    const final = await signInInBrowser(browser, pending, 'alice');
    expect(new URL(final.url).searchParams.get('code')).not.toBeNull();
    expect(final.status).toBe(400);
    expect(final.html).toContain('does not belong to the sign-in Vigie started');
    const err = await rejection(pending.result);
    expect(err.code).toBe('STATE_MISMATCH');
    expect(provider.requests.filter((r) => r === 'POST /token').length).toBe(tokenCalls);
  });

  it("carries the provider's refusal when the person cancels", async () => {
    const pending = await client().startSignIn();
    const browser = new TestBrowser();
    const loginPage = await browser.open(pending.authorizationUrl);
    const final = await browser.followLink(loginPage, '/abort');
    const err = await rejection(pending.result);
    expect(err.code).toBe('DENIED');
    expect(err.message).toContain('access_denied');
    expect(err.message).toContain('End-User aborted interaction');
    expect(final.status).toBe(400);
    expect(final.html).toContain('The sign-in was refused');
  });

  it('refuses a person with no mapped role, never giving a default one', async () => {
    const pending = await client().startSignIn();
    const final = await signInInBrowser(new TestBrowser(), pending, 'bob');
    const err = await rejection(pending.result);
    expect(err.code).toBe('NO_ROLE');
    expect(err.message).toContain('bob');
    expect(final.html).toContain('no Vigie role');
  });

  it('refuses an issuer that differs from the discovered one by a trailing slash', async () => {
    const err = await rejection(client({ issuer: `${provider.issuer}/` }).startSignIn());
    expect(err.code).toBe('DISCOVERY');
    expect(err.message).toContain('names the issuer');
  });

  it('times out when the browser never comes back, and closes the listener', async () => {
    const pending = await client().startSignIn({ timeoutMs: 300 });
    const err = await rejection(pending.result);
    expect(err.code).toBe('TIMEOUT');
    await expect(fetch(pending.redirectUri, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });
});
