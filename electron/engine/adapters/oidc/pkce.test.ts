import { describe, expect, it } from 'vitest';
import { codeChallengeS256, createCodeVerifier, isValidCodeVerifier, randomToken } from './pkce';

describe('PKCE', () => {
  it('makes verifiers of 43 unreserved characters by default and up to 128', () => {
    const v = createCodeVerifier();
    expect(v).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(createCodeVerifier(96)).toHaveLength(128);
    expect(isValidCodeVerifier(createCodeVerifier(64))).toBe(true);
  });

  it('never repeats a verifier or a state', () => {
    const seen = new Set(Array.from({ length: 200 }, () => createCodeVerifier()));
    expect(seen.size).toBe(200);
    const states = new Set(Array.from({ length: 200 }, () => randomToken()));
    expect(states.size).toBe(200);
  });

  it('refuses sizes outside 43..128 characters', () => {
    expect(() => createCodeVerifier(31)).toThrow(RangeError);
    expect(() => createCodeVerifier(97)).toThrow(RangeError);
  });

  it('computes S256 as in RFC 7636 appendix B', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('refuses a verifier that is too short, too long or has other characters', () => {
    expect(() => codeChallengeS256('short')).toThrow(RangeError);
    expect(() => codeChallengeS256('a'.repeat(129))).toThrow(RangeError);
    expect(() => codeChallengeS256(`${'a'.repeat(42)} `)).toThrow(RangeError);
    expect(isValidCodeVerifier('a'.repeat(43))).toBe(true);
  });
});
