/**
 * ID token verification on tokens signed here with node:crypto keys: each check of OIDC Core
 * section 3.1.3.7 refuses the token that breaks it, with its reason.
 */
import { constants, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyIdToken, type IdTokenExpectations } from './id-token';
import type { Jwk, KeySet } from './jwks';
import { OidcError, type IdTokenInvalidReason } from './oidc-error';

const ISSUER = 'https://sso.example.org/realms/ops';
const CLIENT = 'vigie';
const NONCE = 'n-0S6_WzA2Mj';
const NOW = 1_780_000_000;

interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Jwk;
}

function testKey(kid: string, kind: 'rsa' | 'ec256' | 'ec384' | 'ed25519' | 'rsa1024'): TestKey {
  const pair =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'rsa1024'
        ? generateKeyPairSync('rsa', { modulusLength: 1024 })
        : kind === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('ec', { namedCurve: kind === 'ec256' ? 'P-256' : 'P-384' });
  const jwk = { ...(pair.publicKey.export({ format: 'jwk' }) as Jwk), kid, use: 'sig' };
  return { kid, privateKey: pair.privateKey, jwk };
}

const rsa = testKey('rsa-1', 'rsa');
const ec = testKey('ec-1', 'ec256');
const ec384 = testKey('ec-384', 'ec384');
const ed = testKey('ed-1', 'ed25519');
const weakRsa = testKey('rsa-weak', 'rsa1024');

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function signJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject | null,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const data = Buffer.from(input);
  const alg = String(header['alg']);
  let signature: Buffer;
  if (key === null) signature = Buffer.alloc(0);
  else if (alg.startsWith('RS')) signature = sign(`sha${alg.slice(2)}`, data, key);
  else if (alg.startsWith('PS'))
    signature = sign(`sha${alg.slice(2)}`, data, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  else if (alg.startsWith('ES'))
    signature = sign(`sha${alg.slice(2)}`, data, { key, dsaEncoding: 'ieee-p1363' });
  else signature = sign(null, data, key);
  return `${input}.${signature.toString('base64url')}`;
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: 'f3b1c2d4',
    aud: CLIENT,
    exp: NOW + 300,
    iat: NOW - 5,
    nonce: NONCE,
    preferred_username: 'alice',
    ...overrides,
  };
}

function token(alg: string, key: TestKey, payload = claims(), header: Record<string, unknown> = {}): string {
  return signJws({ alg, kid: key.kid, typ: 'JWT', ...header }, payload, key.privateKey);
}

/** A key set that starts with `initial` and serves `afterRefresh` once refreshed, counting refreshes. */
class FakeKeySet implements KeySet {
  refreshes = 0;
  constructor(
    private current: readonly Jwk[],
    private readonly afterRefresh: readonly Jwk[] = current,
  ) {}
  keys(): Promise<readonly Jwk[]> {
    return Promise.resolve(this.current);
  }
  refresh(): Promise<readonly Jwk[]> {
    this.refreshes++;
    this.current = this.afterRefresh;
    return Promise.resolve(this.current);
  }
}

const expectations: IdTokenExpectations = {
  issuer: ISSUER,
  clientId: CLIENT,
  nonce: NONCE,
  algs: ['RS256', 'PS256', 'ES256', 'EdDSA'],
  nowSeconds: NOW,
  clockSkewSeconds: 60,
};

const allKeys = new FakeKeySet([rsa.jwk, ec.jwk, ed.jwk, ec384.jwk, weakRsa.jwk]);
const signal = new AbortController().signal;

function verify(
  jws: string,
  keys: KeySet = allKeys,
  expect: Partial<IdTokenExpectations> = {},
): ReturnType<typeof verifyIdToken> {
  return verifyIdToken(jws, keys, { ...expectations, ...expect }, signal);
}

async function reason(promise: Promise<unknown>): Promise<IdTokenInvalidReason | undefined> {
  const outcome = await promise.then(
    () => new Error('expected the token to be refused'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof OidcError)) throw outcome;
  expect(outcome.code).toBe('ID_TOKEN_INVALID');
  return outcome.reason;
}

describe('verifyIdToken', () => {
  it.each([
    ['RS256', rsa],
    ['PS256', rsa],
    ['ES256', ec],
    ['EdDSA', ed],
  ] as const)('accepts a valid %s token and returns its claims', async (alg, key) => {
    const verified = await verify(token(alg, key));
    expect(verified.sub).toBe('f3b1c2d4');
    expect(verified['preferred_username']).toBe('alice');
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [h, , s] = token('RS256', rsa).split('.');
    const forged = `${h}.${b64(claims({ preferred_username: 'admin' }))}.${s}`;
    expect(await reason(verify(forged))).toBe('SIGNATURE');
  });

  it('refuses a token signed by another key under a published kid', async () => {
    const impostor = testKey('rsa-1', 'rsa');
    expect(await reason(verify(token('RS256', impostor)))).toBe('SIGNATURE');
  });

  it('refuses alg none, with or without a signature', async () => {
    const unsigned = signJws({ alg: 'none', kid: rsa.kid }, claims(), null);
    expect(await reason(verify(unsigned))).toBe('ALG_NOT_ALLOWED');
    expect(await reason(verify(`${unsigned}AAAA`))).toBe('ALG_NOT_ALLOWED');
  });

  it('refuses HS256 made with the RSA public key as the HMAC secret (key confusion)', async () => {
    const input = `${b64({ alg: 'HS256', kid: rsa.kid })}.${b64(claims())}`;
    for (const secret of [JSON.stringify(rsa.jwk), rsa.jwk.n ?? '']) {
      const mac = createHmac('sha256', secret).update(input).digest('base64url');
      expect(await reason(verify(`${input}.${mac}`))).toBe('ALG_NOT_ALLOWED');
    }
  });

  it('refuses an algorithm the configuration does not accept', async () => {
    expect(await reason(verify(token('RS512', rsa)))).toBe('ALG_NOT_ALLOWED');
    expect(await reason(verify(token('PS256', rsa), allKeys, { algs: ['RS256'] }))).toBe('ALG_NOT_ALLOWED');
  });

  it('refuses a key of the wrong type or curve for the header alg', async () => {
    // ES256 header naming the RSA key, and an ES256 header naming the P-384 key.
    const onRsa = signJws({ alg: 'ES256', kid: rsa.kid }, claims(), ec.privateKey);
    expect(await reason(verify(onRsa))).toBe('KEY_MISMATCH');
    const onP384 = signJws({ alg: 'ES256', kid: ec384.kid }, claims(), ec.privateKey);
    expect(await reason(verify(onP384))).toBe('KEY_MISMATCH');
  });

  it('refuses a key whose declared alg or use says otherwise', async () => {
    const keys = new FakeKeySet([{ ...rsa.jwk, alg: 'RS512' }]);
    expect(await reason(verify(token('RS256', rsa), keys))).toBe('KEY_MISMATCH');
    const enc = new FakeKeySet([{ ...rsa.jwk, use: 'enc' }]);
    expect(await reason(verify(token('RS256', rsa), enc))).toBe('KEY_MISMATCH');
  });

  it('refuses RSA keys shorter than 2048 bits', async () => {
    expect(await reason(verify(token('RS256', weakRsa)))).toBe('SIGNATURE');
  });

  it('refetches the key set once for an unknown kid (key rotation) and then verifies', async () => {
    const keys = new FakeKeySet([ec.jwk], [ec.jwk, rsa.jwk]);
    const verified = await verify(token('RS256', rsa), keys);
    expect(verified.sub).toBe('f3b1c2d4');
    expect(keys.refreshes).toBe(1);
  });

  it('refuses a kid still unknown after the refetch', async () => {
    const keys = new FakeKeySet([ec.jwk]);
    const stranger = testKey('nobody-knows', 'rsa');
    expect(await reason(verify(token('RS256', stranger), keys))).toBe('UNKNOWN_KID');
    expect(keys.refreshes).toBe(1);
  });

  it('does not refetch for a known kid', async () => {
    const keys = new FakeKeySet([rsa.jwk]);
    await verify(token('RS256', rsa), keys);
    expect(keys.refreshes).toBe(0);
  });

  it('accepts a token without kid when a fitting key verifies it', async () => {
    const noKid = signJws({ alg: 'RS256' }, claims(), rsa.privateKey);
    expect((await verify(noKid)).sub).toBe('f3b1c2d4');
  });

  it('refuses a wrong issuer, even one differing by a trailing slash', async () => {
    expect(await reason(verify(token('RS256', rsa, claims({ iss: `${ISSUER}/` }))))).toBe('ISSUER');
    expect(
      await reason(verify(token('RS256', rsa, claims({ iss: 'https://evil.example/realms/ops' })))),
    ).toBe('ISSUER');
  });

  it('refuses an audience that is not this client', async () => {
    expect(await reason(verify(token('RS256', rsa, claims({ aud: 'other-app' }))))).toBe('AUDIENCE');
    expect(await reason(verify(token('RS256', rsa, claims({ aud: [] }))))).toBe('AUDIENCE');
    expect(await reason(verify(token('RS256', rsa, claims({ aud: undefined }))))).toBe('AUDIENCE');
  });

  it('with several audiences, requires azp to be this client', async () => {
    const aud = [CLIENT, 'account'];
    expect(await reason(verify(token('RS256', rsa, claims({ aud }))))).toBe('AZP');
    expect(await reason(verify(token('RS256', rsa, claims({ aud, azp: 'account' }))))).toBe('AZP');
    expect((await verify(token('RS256', rsa, claims({ aud, azp: CLIENT })))).sub).toBe('f3b1c2d4');
    expect(await reason(verify(token('RS256', rsa, claims({ azp: 'other' }))))).toBe('AZP');
  });

  it('refuses an expired token, allowing the configured clock skew', async () => {
    expect(await reason(verify(token('RS256', rsa, claims({ exp: NOW - 61 }))))).toBe('EXPIRED');
    expect((await verify(token('RS256', rsa, claims({ exp: NOW - 59 })))).sub).toBe('f3b1c2d4');
    expect(
      await reason(verify(token('RS256', rsa, claims({ exp: NOW - 1 })), allKeys, { clockSkewSeconds: 0 })),
    ).toBe('EXPIRED');
  });

  it('refuses iat and nbf beyond the skew in the future', async () => {
    expect(await reason(verify(token('RS256', rsa, claims({ iat: NOW + 120 }))))).toBe('ISSUED_IN_FUTURE');
    expect(await reason(verify(token('RS256', rsa, claims({ nbf: NOW + 120 }))))).toBe('NOT_YET_VALID');
    expect((await verify(token('RS256', rsa, claims({ nbf: NOW + 30, iat: NOW + 30 })))).sub).toBe(
      'f3b1c2d4',
    );
  });

  it('refuses tokens without exp or iat', async () => {
    expect(await reason(verify(token('RS256', rsa, claims({ exp: undefined }))))).toBe('MALFORMED');
    expect(await reason(verify(token('RS256', rsa, claims({ iat: '1780000000' }))))).toBe('MALFORMED');
  });

  it('refuses a missing or different nonce', async () => {
    expect(await reason(verify(token('RS256', rsa, claims({ nonce: 'replayed' }))))).toBe('NONCE');
    expect(await reason(verify(token('RS256', rsa, claims({ nonce: undefined }))))).toBe('NONCE');
  });

  it('refuses a missing subject', async () => {
    expect(await reason(verify(token('RS256', rsa, claims({ sub: '' }))))).toBe('SUBJECT');
  });

  it('refuses critical header extensions it does not understand', async () => {
    expect(await reason(verify(token('RS256', rsa, claims(), { crit: ['exp'], exp: 1 })))).toBe('CRIT');
  });

  it('refuses malformed input without throwing anything else', async () => {
    for (const bad of [
      '',
      'a.b',
      'a.b.c.d.e',
      '!!.??.**',
      `${b64('x')}.${b64(claims())}.`,
      'x'.repeat(70_000),
    ])
      expect(await reason(verify(bad))).toBe('MALFORMED');
  });

  it('never puts the token in its messages', async () => {
    const jws = token('RS256', rsa, claims({ nonce: 'other' }));
    const err = await verify(jws).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OidcError);
    expect((err as OidcError).message).not.toContain(jws.split('.')[1]);
  });
});
