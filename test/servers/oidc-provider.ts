/**
 * A real OpenID provider for tests: `oidc-provider` (panva's OpenID Certified implementation)
 * in-process on a random loopback port, with its development login and consent pages, RSA and EC
 * signing keys, and native-app clients registered for `http://127.0.0.1/` (any port, RFC 8252
 * section 7.3) with PKCE required. Also a small "browser" on fetch that follows redirects,
 * keeps cookies and fills those pages, as a person in the system browser would.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type AccountClaims } from 'oidc-provider';

export interface OidcTestClient {
  readonly clientId: string;
  /** `RS256` unless set (the provider's default). */
  readonly idTokenAlg?: 'RS256' | 'PS256' | 'ES256';
  /** A confidential client (client_secret_basic); public with PKCE when absent. */
  readonly secret?: string;
}

export interface OidcProviderHandle {
  /** `http://127.0.0.1:{port}`, exactly as the provider writes it in its metadata and tokens. */
  readonly issuer: string;
  /** Requests the provider received, method and path (no query: it holds the code and tokens). */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

/** Claims of each account the login page accepts, by login (any password). */
export type OidcAccounts = Readonly<Record<string, Omit<AccountClaims, 'sub'>>>;

export async function startOidcProvider(options: {
  readonly clients: readonly OidcTestClient[];
  readonly accounts: OidcAccounts;
}): Promise<OidcProviderHandle> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      ...(c.secret === undefined
        ? { token_endpoint_auth_method: 'none' }
        : { client_secret: c.secret, token_endpoint_auth_method: 'client_secret_basic' }),
      ...(c.idTokenAlg === undefined ? {} : { id_token_signed_response_alg: c.idTokenAlg }),
    })),
    jwks: {
      keys: [
        { ...rsa, kid: `rsa-${randomBytes(4).toString('hex')}`, use: 'sig' },
        { ...ec, kid: `ec-${randomBytes(4).toString('hex')}`, use: 'sig' },
      ],
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    // Keycloak's default: the profile claims go into the ID token too, not only to userinfo.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, id: string) => {
      const claims = Object.hasOwn(options.accounts, id) ? options.accounts[id] : undefined;
      if (claims === undefined) return undefined;
      return { accountId: id, claims: () => ({ ...claims, sub: id }) };
    },
    pkce: { required: () => true },
    // Explicit lifetimes (seconds), so the provider does not warn about its defaults.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    features: { devInteractions: { enabled: true } },
  });
  provider.on('server_error', () => undefined);
  const requests: string[] = [];
  const handler = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(`${req.method ?? '?'} ${(req.url ?? '').split('?')[0] ?? ''}`);
    handler(req, res);
  });

  return {
    issuer,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What the browser saw at the end: the last page's status and text. */
export interface BrowserPage {
  readonly url: string;
  readonly status: number;
  readonly html: string;
}

/**
 * A browser on fetch: follows redirects by hand (keeping cookies per origin, as a browser
 * keeps them per host), and stops on the first page that is not a redirect.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();
  private readonly visits: string[] = [];

  /** Called before each request: a test rewrites a URL here as an attacker in the path could. */
  constructor(private readonly rewrite: (url: URL) => URL = (url) => url) {}

  /** Every URL requested, in order. */
  get history(): readonly string[] {
    return this.visits;
  }

  async open(
    url: string,
    init: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {},
  ): Promise<BrowserPage> {
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
    for (let hop = 0; hop < 20; hop++) {
      current = this.rewrite(current);
      this.visits.push(current.href);
      const headers: Record<string, string> = {};
      const cookies = this.jar.get(current.host);
      if (cookies !== undefined && cookies.size > 0)
        headers['cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await fetch(current, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      for (const line of res.headers.getSetCookie()) this.keepCookie(current.host, line);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.body?.cancel();
        current = new URL(location, current);
        // 303 (and 302 after a POST, as browsers do) continue as GET without a body.
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: current.href, status: res.status, html: await res.text() };
    }
    throw new Error('more than 20 redirects');
  }

  /** Fills the page's first form (its hidden fields plus `fields`) and submits it. */
  async submitForm(page: BrowserPage, fields: Record<string, string> = {}): Promise<BrowserPage> {
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page.html);
    if (form === null) throw new Error(`no form on ${page.url}: ${page.html.slice(0, 300)}`);
    const values: Record<string, string> = {};
    for (const input of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      if (name !== undefined) values[name] = value ?? '';
    }
    return this.open(new URL(unescape(form[1] ?? ''), page.url).href, {
      method: 'POST',
      form: { ...values, ...fields },
    });
  }

  /** Follows the first link whose address contains `part` (the "cancel" link of the login page). */
  async followLink(page: BrowserPage, part: string): Promise<BrowserPage> {
    for (const link of page.html.matchAll(/href="([^"]+)"/g)) {
      const href = unescape(link[1] ?? '');
      if (href.includes(part)) return this.open(new URL(href, page.url).href);
    }
    throw new Error(`no link containing ${part} on ${page.url}`);
  }

  private keepCookie(host: string, line: string): void {
    const [pair] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair === undefined || eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    // An expired cookie (the provider clearing one) is removed, as a browser does.
    if (/;\s*expires=Thu, 01 Jan 1970/i.test(line) || value === '') cookies.delete(name);
    else cookies.set(name, value);
    this.jar.set(host, cookies);
  }
}

/** HTML attribute entities the provider's templates write in URLs. */
function unescape(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&#x2F;/gi, '/')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');
}
