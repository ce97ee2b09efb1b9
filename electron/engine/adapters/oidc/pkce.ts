/**
 * PKCE (RFC 7636) and the random values of one sign-in. The verifier is 43 to 128 characters of
 * the unreserved set (section 4.1); S256 is the only method used: `plain` would hand the verifier
 * to anyone who sees the authorization request.
 */
import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 section 4.1: `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`, 43 to 128 long. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * A new code verifier: base64url of `bytes` random octets (32 octets give 43 characters, the
 * minimum, with 256 bits of entropy as section 7.1 recommends).
 */
export function createCodeVerifier(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 32 || bytes > 96)
    throw new RangeError('a PKCE verifier takes 32 to 96 random octets (43 to 128 characters)');
  return randomBytes(bytes).toString('base64url');
}

export function isValidCodeVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/** `BASE64URL(SHA256(ASCII(code_verifier)))`, RFC 7636 section 4.2. */
export function codeChallengeS256(verifier: string): string {
  if (!isValidCodeVerifier(verifier)) throw new RangeError('not a valid PKCE code verifier');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable value for `state` and `nonce` (128 bits and more). */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
