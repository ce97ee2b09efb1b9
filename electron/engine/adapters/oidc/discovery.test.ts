/**
 * Discovery and the JWKS cache against a node:http server on loopback that serves what each test
 * says: exact issuer, size cap and deadline on every request, key refetch limits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discover, discoveryUrl } from './discovery';
import { JwksCache } from './jwks';
import { OidcError } from './oidc-error';

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let routes: Record<string, Route> = {};
const hits: string[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  routes = {};
  hits.length = 0;
});

const json =
  (body: unknown, status = 200): Route =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

function metadata(issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${base}/auth`,
    token_endpoint: `${base}/token`,
    jwks_uri: `${base}/jwks`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    ...extra,
  };
}

const opts = { timeoutMs: 1000, maxBytes: 64 * 1024, algs: ['RS256', 'PS256', 'ES256'] as const };
const never = new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<OidcError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof OidcError)) throw outcome;
  return outcome;
}

describe('discover', () => {
  it('builds the well-known address under the issuer path', () => {
    expect(discoveryUrl('https://sso.example.org/realms/ops')).toBe(
      'https://sso.example.org/realms/ops/.well-known/openid-configuration',
    );
    expect(discoveryUrl('https://sso.example.org/')).toBe(
      'https://sso.example.org/.well-known/openid-configuration',
    );
  });

  it('reads the endpoints and keeps the accepted algorithms the provider uses', async () => {
    const issuer = `${base}/realms/ops`;
    routes['/realms/ops/.well-known/openid-configuration'] = json(
      metadata(issuer, { authorization_response_iss_parameter_supported: true, unknown_field: { deep: 1 } }),
    );
    const m = await discover(issuer, opts, never);
    expect(m).toMatchObject({
      issuer,
      tokenEndpoint: `${base}/token`,
      jwksUri: `${base}/jwks`,
      idTokenAlgs: ['RS256', 'ES256'],
      issInAuthorizationResponse: true,
    });
  });

  it('refuses a document that names another issuer, even by a trailing slash', async () => {
    const issuer = `${base}/realms/ops`;
    routes['/realms/ops/.well-known/openid-configuration'] = json(metadata(`${issuer}/`));
    const err = await failure(discover(issuer, opts, never));
    expect(err.code).toBe('DISCOVERY');
    expect(err.message).toContain('names the issuer');
  });

  it('refuses a provider without PKCE S256 or without an accepted algorithm', async () => {
    routes['/.well-known/openid-configuration'] = json(
      metadata(base, { code_challenge_methods_supported: ['plain'] }),
    );
    expect((await failure(discover(base, opts, never))).message).toContain('PKCE');
    routes['/.well-known/openid-configuration'] = json(
      metadata(base, { id_token_signing_alg_values_supported: ['HS256'] }),
    );
    expect((await failure(discover(base, opts, never))).message).toContain('none of the accepted');
  });

  it('refuses endpoints in clear text for an https issuer', async () => {
    // The issuer is loopback http here; an endpoint elsewhere in http is refused all the same.
    routes['/.well-known/openid-configuration'] = json(
      metadata(base, { token_endpoint: 'http://sso.example.org/token' }),
    );
    expect((await failure(discover(base, opts, never))).message).toContain('token_endpoint must be https');
  });

  it('stops reading an answer larger than the cap', async () => {
    routes['/.well-known/openid-configuration'] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < 100 && res.write(chunk)) sent++;
        if (sent < 100) res.once('drain', pump);
        else res.end();
      };
      pump();
    };
    const err = await failure(discover(base, opts, never));
    expect(err.code).toBe('DISCOVERY');
    expect(err.message).toContain('larger than 65536 bytes');
  });

  it('gives up at the deadline when the provider never answers', async () => {
    routes['/.well-known/openid-configuration'] = () => undefined;
    const err = await failure(discover(base, { ...opts, timeoutMs: 200 }, never));
    expect(err.code).toBe('DISCOVERY');
    expect(err.message).toContain('no answer within 200 ms');
  });

  it('does not follow redirects and says which status it got', async () => {
    routes['/.well-known/openid-configuration'] = (_req, res) =>
      res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
    expect((await failure(discover(base, opts, never))).message).toContain('answered 302');
  });

  it('reports ABORTED when its caller cancels', async () => {
    routes['/.well-known/openid-configuration'] = () => undefined;
    const controller = new AbortController();
    const pending = discover(base, { ...opts, timeoutMs: 5000 }, controller.signal);
    controller.abort();
    expect((await failure(pending)).code).toBe('ABORTED');
  });
});

describe('JwksCache', () => {
  const key = {
    kty: 'EC',
    crv: 'P-256',
    kid: 'k1',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  };

  it('fetches once, keeps readable keys and drops the rest, including private members', async () => {
    routes['/jwks'] = json({ keys: [{ ...key, d: 'private' }, { kty: 42 }, 'junk'] });
    const cache = new JwksCache(`${base}/jwks`, { timeoutMs: 1000, maxBytes: 4096 });
    const keys = await cache.keys(never);
    expect(keys).toEqual([key]);
    await cache.keys(never);
    expect(hits.filter((h) => h === '/jwks')).toHaveLength(1);
  });

  it('refetches on refresh, but not more often than the floor', async () => {
    let now = 1_000_000;
    routes['/jwks'] = json({ keys: [key] });
    const cache = new JwksCache(`${base}/jwks`, {
      timeoutMs: 1000,
      maxBytes: 4096,
      minRefreshMs: 30_000,
      now: () => now,
    });
    await cache.keys(never);
    await cache.refresh(never);
    expect(hits.filter((h) => h === '/jwks')).toHaveLength(1);
    now += 30_001;
    await cache.refresh(never);
    expect(hits.filter((h) => h === '/jwks')).toHaveLength(2);
  });

  it('refuses an oversized or malformed key set', async () => {
    routes['/jwks'] = json({ keys: [key], pad: 'x'.repeat(8000) });
    expect(
      (await failure(new JwksCache(`${base}/jwks`, { timeoutMs: 1000, maxBytes: 4096 }).keys(never))).code,
    ).toBe('DISCOVERY');
    routes['/jwks'] = json({ nokeys: true });
    expect(
      (await failure(new JwksCache(`${base}/jwks`, { timeoutMs: 1000, maxBytes: 4096 }).keys(never))).message,
    ).toContain('not a JWK set');
  });
});
