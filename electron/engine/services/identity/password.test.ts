import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  MalformedPasswordHashError,
  needsRehash,
  verifyPassword,
} from './password';

const FAST = { ln: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('hashes with the default scrypt cost into a self-describing string, and verifies it (timing printed)', async () => {
    const t0 = performance.now();
    const hash = await hashPassword('correct horse battery staple');
    const hashMs = performance.now() - t0;
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const t1 = performance.now();
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    const verifyMs = performance.now() - t1;
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    console.log(
      `scrypt ln=15 r=8 p=1 (32 MiB): hash ${hashMs.toFixed(0)} ms, verify ${verifyMs.toFixed(0)} ms on this machine`,
    );
  });

  it('uses a new salt each time, so one password gives two hashes', async () => {
    const a = await hashPassword('same password here', FAST);
    const b = await hashPassword('same password here', FAST);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password here', a)).toBe(true);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('reads the cost from the hash, so hashes of an older cost still verify', async () => {
    const old = await hashPassword('an older password', { ln: 11, r: 4, p: 1 });
    expect(old).toMatch(/^\$scrypt\$ln=11,r=4,p=1\$/);
    expect(await verifyPassword('an older password', old)).toBe(true);
    expect(await verifyPassword('an older passworD', old)).toBe(false);
  });

  it('treats the composed and decomposed forms of an accented password as one (NFC)', async () => {
    const composed = 'caf\u00e9 au lait noir';
    const decomposed = 'cafe\u0301 au lait noir';
    const hash = await hashPassword(composed, FAST);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  it('refuses to read a malformed or out-of-range hash rather than calling it a wrong password', async () => {
    await expect(verifyPassword('x', 'plain-text-password')).rejects.toBeInstanceOf(
      MalformedPasswordHashError,
    );
    await expect(
      verifyPassword('x', '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA'),
    ).rejects.toBeInstanceOf(MalformedPasswordHashError);
    await expect(
      verifyPassword('x', '$scrypt$ln=10,r=8,p=1$c2E$aGFzaGhhc2hoYXNoaGFzaA'),
    ).rejects.toBeInstanceOf(MalformedPasswordHashError);
  });

  it('refuses an overlong password without matching it', async () => {
    const hash = await hashPassword('short enough pw', FAST);
    expect(await verifyPassword('a'.repeat(5000), hash)).toBe(false);
  });

  it('says a hash needs rehashing when its cost is below today’s, or it is unreadable', async () => {
    expect(needsRehash(await hashPassword('some password 1', FAST))).toBe(true);
    expect(needsRehash(await hashPassword('some password 1', FAST), FAST)).toBe(false);
    expect(needsRehash(await hashPassword('some password 1', { ln: 10, r: 8, p: 2 }), FAST)).toBe(false);
    expect(needsRehash(await hashPassword('some password 1', { ln: 10, r: 4, p: 1 }), FAST)).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ ln: 15, r: 8, p: 1 });
  });
});

describe('password policy', () => {
  it('asks for at least 12 characters, counted as characters not bytes', () => {
    expect(checkPasswordPolicy('elevenchars', 'alice')).toMatchObject({ code: 'TOO_SHORT' });
    expect(checkPasswordPolicy('elevenchars', 'alice')?.message).toBe(
      'a password has at least 12 characters (this one has 11)',
    );
    expect(checkPasswordPolicy('twelve chars', 'alice')).toBeNull();
    // 11 characters, 22 bytes in UTF-8: still too short.
    expect(checkPasswordPolicy('ééééééééééé', 'alice')).toMatchObject({ code: 'TOO_SHORT' });
  });

  it('refuses the login as the password, in any case', () => {
    expect(checkPasswordPolicy('administrator', 'administrator')).toMatchObject({ code: 'SAME_AS_LOGIN' });
    expect(checkPasswordPolicy(' Administrator ', 'administrator')).toMatchObject({ code: 'SAME_AS_LOGIN' });
    expect(checkPasswordPolicy('administrator1', 'administrator')).toBeNull();
  });

  it('refuses an overlong password, and never repeats the password in a message', () => {
    const long = 'x'.repeat(1025);
    const v = checkPasswordPolicy(long, 'alice');
    expect(v).toMatchObject({ code: 'TOO_LONG' });
    expect(v?.message).not.toContain('xxxx');
    expect(checkPasswordPolicy('secret-ish', 'alice')?.message).not.toContain('secret-ish');
  });
});
