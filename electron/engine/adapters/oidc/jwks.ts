/**
 * The provider's signing keys (JWKS, RFC 7517), fetched once and kept. A token signed with a
 * `kid` we do not hold makes one refetch (the provider rotated its keys, OIDC Core section
 * 10.1.1), at most once per `minRefreshMs` so that tokens with made-up `kid`s cannot make the
 * engine hammer the provider.
 */
import { z } from 'zod';
import { boundedFetch, parseJson } from './bounded-fetch';
import { OidcError } from './oidc-error';

/** The members of a JWK this client reads; others are dropped. */
const jwkSchema = z.object({
  kty: z.string().max(10),
  kid: z.string().max(256).optional(),
  use: z.string().max(10).optional(),
  alg: z.string().max(20).optional(),
  key_ops: z.array(z.string().max(20)).max(10).optional(),
  crv: z.string().max(20).optional(),
  n: z.string().max(4096).optional(),
  e: z.string().max(16).optional(),
  x: z.string().max(256).optional(),
  y: z.string().max(256).optional(),
});
export type Jwk = z.infer<typeof jwkSchema>;

const jwksSchema = z.object({ keys: z.array(z.unknown()).max(100) });

export interface JwksOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Earliest refetch after the previous one, ms (default 30 s). */
  readonly minRefreshMs?: number;
  readonly now?: () => number;
}

/** Where a verifier gets keys: the current set, and a set refetched when a `kid` is unknown. */
export interface KeySet {
  keys(signal: AbortSignal): Promise<readonly Jwk[]>;
  /** Refetched keys, or the held ones when the last fetch is more recent than the refresh floor. */
  refresh(signal: AbortSignal): Promise<readonly Jwk[]>;
}

export class JwksCache implements KeySet {
  private held: readonly Jwk[] | null = null;
  private fetchedAt = -Infinity;
  private inflight: Promise<readonly Jwk[]> | null = null;
  private readonly now: () => number;
  private readonly minRefreshMs: number;

  constructor(
    private readonly jwksUri: string,
    private readonly options: JwksOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.minRefreshMs = options.minRefreshMs ?? 30_000;
  }

  async keys(signal: AbortSignal): Promise<readonly Jwk[]> {
    return this.held ?? this.fetch(signal);
  }

  async refresh(signal: AbortSignal): Promise<readonly Jwk[]> {
    if (this.held !== null && this.now() - this.fetchedAt < this.minRefreshMs) return this.held;
    return this.fetch(signal);
  }

  /** One fetch at a time: concurrent sign-ins share it. */
  private fetch(signal: AbortSignal): Promise<readonly Jwk[]> {
    this.inflight ??= this.load(signal).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async load(signal: AbortSignal): Promise<readonly Jwk[]> {
    const fail = (message: string): OidcError => new OidcError('DISCOVERY', `JWKS: ${message}`);
    const res = await boundedFetch(this.jwksUri, {
      timeoutMs: this.options.timeoutMs,
      maxBytes: this.options.maxBytes,
      signal,
      failCode: 'DISCOVERY',
      what: 'JWKS',
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
    if (res.status !== 200) throw fail(`answered ${res.status}`);
    const parsed = jwksSchema.safeParse(parseJson(res.text, fail));
    if (!parsed.success) throw fail('not a JWK set (no "keys" array)');
    // A key this client cannot read (another kty, an encryption key) is skipped, not fatal:
    // providers publish several kinds side by side.
    const keys = parsed.data.keys.flatMap((k) => {
      const key = jwkSchema.safeParse(k);
      return key.success ? [key.data] : [];
    });
    this.held = keys;
    this.fetchedAt = this.now();
    return keys;
  }
}
