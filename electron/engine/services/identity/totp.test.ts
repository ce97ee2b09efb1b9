import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  otpauthUri,
  totp,
  totpStep,
  verifyTotp,
} from './totp';

const RFC_SEED_SHA1 = Buffer.from('12345678901234567890', 'ascii');
const RFC_SEED_SHA256 = Buffer.from('12345678901234567890123456789012', 'ascii');
const RFC_SEED_SHA512 = Buffer.from(
  '1234567890123456789012345678901234567890123456789012345678901234',
  'ascii',
);

describe('HOTP (RFC 4226)', () => {
  it('gives the values of RFC 4226 appendix D for counters 0 to 9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(RFC_SEED_SHA1, counter))).toEqual(expected);
  });

  it('refuses digit counts and counters outside the RFC', () => {
    expect(() => hotp(RFC_SEED_SHA1, 0, 5)).toThrow(RangeError);
    expect(() => hotp(RFC_SEED_SHA1, -1)).toThrow(RangeError);
    expect(() => hotp(RFC_SEED_SHA1, 2n ** 64n)).toThrow(RangeError);
  });
});

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B: time (s), then the 8-digit values for SHA1, SHA256, SHA512.
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  it.each(vectors)('at %i s gives the values of RFC 6238 appendix B', (seconds, sha1, sha256, sha512) => {
    const ms = seconds * 1000;
    expect(totp(RFC_SEED_SHA1, ms, { digits: 8 })).toBe(sha1);
    expect(totp(RFC_SEED_SHA256, ms, { digits: 8, algorithm: 'sha256' })).toBe(sha256);
    expect(totp(RFC_SEED_SHA512, ms, { digits: 8, algorithm: 'sha512' })).toBe(sha512);
  });

  it('defaults to 6 digits of SHA1 in 30 s steps (the last 6 of the 8-digit value)', () => {
    expect(totp(RFC_SEED_SHA1, 59_000)).toBe('287082');
    expect(totpStep(59_000)).toBe(1);
    expect(totpStep(60_000)).toBe(2);
  });
});

describe('verifyTotp', () => {
  const secret = RFC_SEED_SHA1;
  const now = 1_111_111_111_000; // step 37037037
  const step = totpStep(now);

  it('accepts the current step and one on either side, and nothing further', () => {
    expect(verifyTotp(secret, totp(secret, now), now)).toEqual({ ok: true, step });
    expect(verifyTotp(secret, totp(secret, now - 30_000), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, totp(secret, now + 30_000), now)).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(secret, totp(secret, now - 60_000), now)).toEqual({ ok: false, reason: 'INVALID' });
    expect(verifyTotp(secret, totp(secret, now + 60_000), now)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('refuses a code whose step was already used, or an earlier one', () => {
    const code = totp(secret, now);
    expect(verifyTotp(secret, code, now, { lastUsedStep: step })).toEqual({ ok: false, reason: 'REPLAYED' });
    expect(verifyTotp(secret, totp(secret, now - 30_000), now, { lastUsedStep: step })).toEqual({
      ok: false,
      reason: 'REPLAYED',
    });
    expect(verifyTotp(secret, totp(secret, now + 30_000), now, { lastUsedStep: step })).toEqual({
      ok: true,
      step: step + 1,
    });
  });

  it('takes a code with spaces, refuses anything not six digits', () => {
    const code = totp(secret, now);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now).ok).toBe(true);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a', '١٢٣٤٥٦'])
      expect(verifyTotp(secret, bad, now)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('refuses a right-looking code of another secret', () => {
    const other = generateTotpSecret();
    expect(verifyTotp(other, totp(secret, now), now).ok).toBe(other.equals(secret));
  });
});

describe('base32 (RFC 4648)', () => {
  it('encodes and decodes the RFC 4648 section 10 vectors (without padding)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb-oi').toString()).toBe('foobar');
  });

  it('round-trips random secrets and refuses what is not base32', () => {
    for (let i = 0; i < 50; i++) {
      const s = generateTotpSecret();
      expect(s).toHaveLength(20);
      expect(base32Decode(base32Encode(s)).equals(s)).toBe(true);
    }
    expect(() => base32Decode('MZXW1')).toThrow(/outside A-Z/);
    expect(() => base32Decode('MZX')).toThrow(/impossible length/);
  });
});

describe('otpauth URI', () => {
  it('carries issuer, account, base32 secret and the parameters apps need', () => {
    const uri = otpauthUri({ issuer: 'Vigie Training', account: 'alice', secret: RFC_SEED_SHA1 });
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(uri.startsWith('otpauth://totp/Vigie%20Training:alice?')).toBe(true);
    expect(url.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(url.searchParams.get('issuer')).toBe('Vigie Training');
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
    expect(uri).not.toContain('+');
  });
});
