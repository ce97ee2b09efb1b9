/**
 * ID token verification on node:crypto (OIDC Core section 3.1.3.7, RFC 7515, RFC 7518 section 3,
 * RFC 8725). The algorithm comes from the token header but only from the allow-list, and the key
 * must be of the kind that algorithm needs: an RSA public key is never used as an HMAC secret
 * (the classic HS256 confusion), and `none` is refused.
 */
import {
  constants,
  createPublicKey,
  timingSafeEqual,
  verify as verifySignature,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { Jwk, KeySet } from './jwks';
import type { IdTokenAlg } from './oidc-config';
import { SUPPORTED_ID_TOKEN_ALGS } from './oidc-config';
import { idTokenInvalid } from './oidc-error';

/** An ID token is a few KiB; far larger means something else. */
const MAX_TOKEN_CHARS = 64 * 1024;
const B64URL = /^[A-Za-z0-9_-]*$/;

export interface IdTokenExpectations {
  readonly issuer: string;
  readonly clientId: string;
  readonly nonce: string;
  readonly algs: readonly IdTokenAlg[];
  /** Seconds since the epoch. */
  readonly nowSeconds: number;
  readonly clockSkewSeconds: number;
}

/** The verified claims, read with own-property checks only (never merged into other objects). */
export type IdTokenClaims = Readonly<Record<string, unknown>> & {
  readonly iss: string;
  readonly sub: string;
  readonly exp: number;
  readonly iat: number;
};

interface AlgSpec {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  readonly pss?: true;
  readonly crv?: string;
  /** Bytes of an r||s ECDSA signature (RFC 7518 section 3.4). */
  readonly sigBytes?: number;
}

const ALGS: Record<IdTokenAlg, AlgSpec> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  PS384: { kty: 'RSA', hash: 'sha384', pss: true },
  PS512: { kty: 'RSA', hash: 'sha512', pss: true },
  ES256: { kty: 'EC', hash: 'sha256', crv: 'P-256', sigBytes: 64 },
  ES384: { kty: 'EC', hash: 'sha384', crv: 'P-384', sigBytes: 96 },
  ES512: { kty: 'EC', hash: 'sha512', crv: 'P-521', sigBytes: 132 },
  EdDSA: { kty: 'OKP', hash: null, crv: 'Ed25519' },
};

function isSupportedAlg(alg: string): alg is IdTokenAlg {
  return (SUPPORTED_ID_TOKEN_ALGS as readonly string[]).includes(alg);
}

function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch (err: unknown) {
    if (err instanceof SyntaxError) throw idTokenInvalid('MALFORMED', `the ${what} is not JSON`);
    throw err;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw idTokenInvalid('MALFORMED', `the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A key may sign `alg` when its type, curve, use and declared alg agree. */
function keyFits(jwk: Jwk, alg: IdTokenAlg): boolean {
  const spec = ALGS[alg];
  if (jwk.kty !== spec.kty) return false;
  if (spec.crv !== undefined && jwk.crv !== spec.crv) return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.key_ops !== undefined && !jwk.key_ops.includes('verify')) return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  return true;
}

function publicKey(jwk: Jwk, alg: IdTokenAlg): KeyObject | null {
  let key: KeyObject;
  try {
    // The schema kept public members only, so this is a public key whatever the JWKS held.
    key = createPublicKey({ key: { ...jwk } as JsonWebKey, format: 'jwk' });
  } catch (err: unknown) {
    if (err instanceof Error) return null;
    throw err;
  }
  // RFC 7518 section 3.3: RSA keys of 2048 bits or more.
  if (ALGS[alg].kty === 'RSA' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return null;
  return key;
}

function signatureValid(alg: IdTokenAlg, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const spec = ALGS[alg];
  switch (spec.kty) {
    case 'RSA':
      return verifySignature(
        spec.hash,
        data,
        spec.pss
          ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
          : { key, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
    case 'EC':
      // JWS carries r||s of fixed length, not DER (RFC 7518 section 3.4).
      if (signature.length !== spec.sigBytes) return false;
      return verifySignature(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'OKP':
      return verifySignature(null, data, key, signature);
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies a compact-serialised ID token and returns its claims, or throws
 * `OidcError('ID_TOKEN_INVALID', reason)`. Keys come from `keySet`; an unknown `kid` refetches it.
 */
export async function verifyIdToken(
  token: string,
  keySet: KeySet,
  expect: IdTokenExpectations,
  signal: AbortSignal,
): Promise<IdTokenClaims> {
  if (token.length > MAX_TOKEN_CHARS) throw idTokenInvalid('MALFORMED', 'too long');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p)))
    throw idTokenInvalid(
      'MALFORMED',
      'not a signed JWT in compact form (an encrypted token is not supported)',
    );
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJsonPart(headerPart, 'header');

  const alg = own(header, 'alg');
  if (typeof alg !== 'string') throw idTokenInvalid('MALFORMED', 'the header has no alg');
  if (!isSupportedAlg(alg) || !expect.algs.includes(alg))
    throw idTokenInvalid('ALG_NOT_ALLOWED', `alg ${JSON.stringify(alg.slice(0, 20))} is not accepted`);
  // RFC 7515 section 4.1.11: an extension we do not understand makes the token unusable.
  if (own(header, 'crit') !== undefined) throw idTokenInvalid('CRIT', 'the header lists critical extensions');
  const kidValue = own(header, 'kid');
  if (kidValue !== undefined && typeof kidValue !== 'string')
    throw idTokenInvalid('MALFORMED', 'the header kid is not a string');
  const kid = kidValue;

  const data = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  const signature = Buffer.from(signaturePart, 'base64url');

  const candidates = (keys: readonly Jwk[]): Jwk[] =>
    keys.filter((k) => (kid === undefined ? true : k.kid === kid));
  let keys = candidates(await keySet.keys(signal));
  if (kid !== undefined && keys.length === 0) keys = candidates(await keySet.refresh(signal));
  if (keys.length === 0)
    throw idTokenInvalid(
      'UNKNOWN_KID',
      kid === undefined ? 'the provider publishes no key' : 'no key has the token kid',
    );
  const fitting = keys.filter((k) => keyFits(k, alg));
  if (fitting.length === 0) throw idTokenInvalid('KEY_MISMATCH', `the key is not a ${alg} signing key`);
  // Without a kid every fitting key is tried (OIDC Core 10.1 lets a single-key provider omit it).
  const verified = fitting.some((jwk) => {
    const key = publicKey(jwk, alg);
    return key !== null && signatureValid(alg, key, data, signature);
  });
  if (!verified) throw idTokenInvalid('SIGNATURE', 'the signature does not verify');

  const claims = decodeJsonPart(payloadPart, 'payload');
  const iss = own(claims, 'iss');
  if (typeof iss !== 'string' || iss !== expect.issuer)
    throw idTokenInvalid('ISSUER', 'iss is not the configured issuer');
  const sub = own(claims, 'sub');
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255)
    throw idTokenInvalid('SUBJECT', 'sub is missing or not a string of 1 to 255 characters');

  const aud = own(claims, 'aud');
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : null;
  if (audiences === null || audiences.length === 0 || !audiences.every((a) => typeof a === 'string'))
    throw idTokenInvalid('AUDIENCE', 'aud is missing or not a string or array of strings');
  if (!audiences.includes(expect.clientId)) throw idTokenInvalid('AUDIENCE', 'aud does not name this client');
  const azp = own(claims, 'azp');
  if (audiences.length > 1 && azp === undefined) throw idTokenInvalid('AZP', 'several audiences and no azp');
  if (azp !== undefined && azp !== expect.clientId) throw idTokenInvalid('AZP', 'azp is not this client');

  const now = expect.nowSeconds;
  const skew = expect.clockSkewSeconds;
  const exp = own(claims, 'exp');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw idTokenInvalid('MALFORMED', 'exp is missing');
  if (exp <= now - skew) throw idTokenInvalid('EXPIRED', 'the token has expired');
  const iat = own(claims, 'iat');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw idTokenInvalid('MALFORMED', 'iat is missing');
  if (iat > now + skew) throw idTokenInvalid('ISSUED_IN_FUTURE', 'iat is in the future');
  const nbf = own(claims, 'nbf');
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || !Number.isFinite(nbf))
      throw idTokenInvalid('MALFORMED', 'nbf is not a number');
    if (nbf > now + skew) throw idTokenInvalid('NOT_YET_VALID', 'nbf is in the future');
  }
  const nonce = own(claims, 'nonce');
  if (typeof nonce !== 'string' || !sameString(nonce, expect.nonce))
    throw idTokenInvalid('NONCE', 'nonce is not the one this sign-in sent');

  return claims as IdTokenClaims;
}
