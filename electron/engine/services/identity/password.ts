/**
 * Password hashing with scrypt (RFC 7914), memory-hard and built into Node, so no native module.
 * A hash is a self-describing string, `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64 without
 * padding, as PHC strings write it), so the cost can rise later: {@link needsRehash} says when a
 * stored hash is weaker than today's parameters and the service re-hashes at the next sign-in.
 *
 * Cost: N = 2^15, r = 8 needs 128·N·r = 32 MiB per hash. Measured here (a 2-vCPU AMD EPYC
 * virtual machine shared with other work): 96 to 226 ms per hash over 8 runs, median about 150 ms;
 * password.test.ts prints the figure of each run. That is the OWASP floor for scrypt and short
 * enough for an interactive sign-in; an offline attacker pays the same 32 MiB per guess. It runs
 * on libuv's thread pool, so the event loop keeps serving other seats meanwhile.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^ln, block size r, parallelism p. */
export interface ScryptParams {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/** Today's parameters for a new hash. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on stored parameters: a tampered row must not make one verify take gigabytes. */
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

/** Longest password accepted: beyond it is a paste accident or an attempt to slow the engine. */
export const PASSWORD_MAX_LENGTH = 1024;
/** Shortest password accepted (NIST SP 800-63B asks for at least 8; Vigie guards operations). */
export const PASSWORD_MIN_LENGTH = 12;

/** Why a password is refused. */
export type PasswordPolicyViolation =
  | { readonly code: 'TOO_SHORT'; readonly message: string }
  | { readonly code: 'TOO_LONG'; readonly message: string }
  | { readonly code: 'SAME_AS_LOGIN'; readonly message: string };

/** The person's password was refused by the policy; the message never repeats the password. */
export class PasswordPolicyError extends Error {
  override readonly name = 'PasswordPolicyError';
  constructor(readonly violation: PasswordPolicyViolation) {
    super(violation.message);
  }
}

/**
 * Checks a new password: at least {@link PASSWORD_MIN_LENGTH} characters (counted as Unicode code
 * points, so an accented letter counts once), at most {@link PASSWORD_MAX_LENGTH}, and not the
 * login (in any case, spaces around ignored).
 */
export function checkPasswordPolicy(password: string, login: string): PasswordPolicyViolation | null {
  const length = [...normalise(password)].length;
  if (length < PASSWORD_MIN_LENGTH)
    return {
      code: 'TOO_SHORT',
      message: `a password has at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length})`,
    };
  if (length > PASSWORD_MAX_LENGTH)
    return { code: 'TOO_LONG', message: `a password has at most ${PASSWORD_MAX_LENGTH} characters` };
  if (password.trim().toLowerCase() === login.trim().toLowerCase())
    return { code: 'SAME_AS_LOGIN', message: 'the password must not be the login' };
  return null;
}

/**
 * The same text typed on two systems can arrive composed or decomposed (é as one code point or
 * two); NFC makes them one password.
 */
function normalise(password: string): string {
  return password.normalize('NFC');
}

function scryptAsync(
  password: string,
  salt: Buffer,
  params: ScryptParams,
  keyBytes = KEY_BYTES,
): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // Node refuses when 128·N·r reaches maxmem (32 MiB by default, exactly what ln=15, r=8 needs).
    maxmem: 128 * N * params.r * (params.p + 1) + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(normalise(password), salt, keyBytes, options, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

/** Hashes `password` with a new random salt; runs on libuv's thread pool, off the event loop. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** A stored hash that cannot be read: the store was damaged or written by something else. */
export class MalformedPasswordHashError extends Error {
  override readonly name = 'MalformedPasswordHashError';
}

function checkParams(params: ScryptParams): void {
  const ok =
    Number.isInteger(params.ln) &&
    Number.isInteger(params.r) &&
    Number.isInteger(params.p) &&
    params.ln >= 1 &&
    params.ln <= MAX_LN &&
    params.r >= 1 &&
    params.r <= MAX_R &&
    params.p >= 1 &&
    params.p <= MAX_P;
  if (!ok) throw new MalformedPasswordHashError('scrypt parameters out of range');
}

function parseHash(encoded: string): ParsedHash {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    encoded,
  );
  if (!m) throw new MalformedPasswordHashError('not a $scrypt$ password hash');
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  checkParams(params);
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const key = Buffer.from(m[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16 || key.length > 128)
    throw new MalformedPasswordHashError('salt or hash too short');
  return { params, salt, key };
}

/**
 * Whether `password` matches `encoded`. The comparison takes the same time wherever the first
 * differing byte is. Throws {@link MalformedPasswordHashError} for a hash it cannot read (a damaged
 * store is not a wrong password).
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const { params, salt, key } = parseHash(encoded);
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    // Still pay for one hash, so an overlong guess does not answer faster than a wrong one.
    await scryptAsync('', salt, params, key.length);
    return false;
  }
  const candidate = await scryptAsync(password, salt, params, key.length);
  return timingSafeEqual(candidate, key);
}

/** Whether a stored hash is weaker than `params` (or unreadable) and should be made anew. */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  let parsed: ParsedHash;
  try {
    parsed = parseHash(encoded);
  } catch (err: unknown) {
    if (err instanceof MalformedPasswordHashError) return true;
    throw err;
  }
  return (
    parsed.params.ln < params.ln ||
    parsed.params.r < params.r ||
    parsed.params.p < params.p ||
    parsed.key.length < KEY_BYTES ||
    parsed.salt.length < SALT_BYTES
  );
}
