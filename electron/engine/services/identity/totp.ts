/**
 * One-time codes: HOTP (RFC 4226) and TOTP on top of it (RFC 6238), as authenticator apps
 * (FreeOTP, Aegis, Google Authenticator) produce them: HMAC-SHA1, 6 digits, 30 s steps, and the
 * secret in base32 (RFC 4648 section 6) inside an `otpauth://` URI
 * (https://github.com/google/google-authenticator/wiki/Key-Uri-Format).
 *
 * Verification accepts the current step and one on either side (RFC 6238 section 5.2 recommends
 * at most one step of network delay and clock drift), and never a step at or before the last one
 * the account used: a code seen over a shoulder or in a log cannot be played again.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** HMAC of RFC 6238 (its test vectors cover all three; apps use SHA1). */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  readonly algorithm?: TotpAlgorithm;
  readonly digits?: number;
  /** Step length, seconds (X in RFC 6238). */
  readonly stepSeconds?: number;
}

const DEFAULTS = { algorithm: 'sha1', digits: 6, stepSeconds: 30 } as const;

/** Bytes of a new secret: 160 bits, the length RFC 4226 section 4 recommends. */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 (RFC 4648 section 6), upper case, without `=` padding, as otpauth URIs carry it. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes base32 as people type it: any case, spaces and dashes between groups, `=` padding
 * optional. Throws on any other character or on an impossible length.
 */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  // 1, 3 and 6 characters left over cannot come from whole bytes.
  if ([1, 3, 6].includes(clean.length % 8)) throw new Error('base32 text has an impossible length');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const value = BASE32.indexOf(ch);
    if (value < 0) throw new Error('base32 text has a character outside A-Z and 2-7');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

/** A new random TOTP secret. */
export function generateTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** HOTP value of `counter` (RFC 4226 section 5.3: dynamic truncation, then modulo 10^digits). */
export function hotp(
  secret: Uint8Array,
  counter: number | bigint,
  digits: number = DEFAULTS.digits,
  algorithm: TotpAlgorithm = DEFAULTS.algorithm,
): string {
  if (!Number.isInteger(digits) || digits < 6 || digits > 10)
    throw new RangeError('HOTP digits must be 6 to 10');
  const c = BigInt(counter);
  if (c < 0n || c > 0xffff_ffff_ffff_ffffn) throw new RangeError('HOTP counter must fit in 8 bytes');
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(c);
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fff_ffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step containing `timeMs` (T in RFC 6238 section 4.2, with T0 = 0). */
export function totpStep(timeMs: number, stepSeconds: number = DEFAULTS.stepSeconds): number {
  return Math.floor(timeMs / 1000 / stepSeconds);
}

/** The TOTP code at `timeMs`. */
export function totp(secret: Uint8Array, timeMs: number, options: TotpOptions = {}): string {
  const o = { ...DEFAULTS, ...options };
  return hotp(secret, totpStep(timeMs, o.stepSeconds), o.digits, o.algorithm);
}

/** Outcome of {@link verifyTotp}: the step the code belongs to, to remember against replays. */
export type TotpCheck =
  | { readonly ok: true; readonly step: number }
  | { readonly ok: false; readonly reason: 'MALFORMED' | 'INVALID' | 'REPLAYED' };

/**
 * Checks `code` at `timeMs` against the steps from `window` before to `window` after. A code of
 * a step at or before `lastUsedStep` is REPLAYED, never accepted again. Every candidate step is
 * compared (in constant time), so the answer takes as long whichever step matched.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  timeMs: number,
  options: TotpOptions & { readonly window?: number; readonly lastUsedStep?: number | null } = {},
): TotpCheck {
  const o = { ...DEFAULTS, ...options };
  const window = options.window ?? 1;
  const given = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${o.digits}}$`).test(given)) return { ok: false, reason: 'MALFORMED' };
  const now = totpStep(timeMs, o.stepSeconds);
  const givenBytes = Buffer.from(given);
  let fresh: number | null = null;
  let replayed = false;
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const match = timingSafeEqual(Buffer.from(hotp(secret, step, o.digits, o.algorithm)), givenBytes);
    if (!match) continue;
    if (options.lastUsedStep !== undefined && options.lastUsedStep !== null && step <= options.lastUsedStep)
      replayed = true;
    else fresh ??= step;
  }
  if (fresh !== null) return { ok: true, step: fresh };
  return { ok: false, reason: replayed ? 'REPLAYED' : 'INVALID' };
}

/**
 * The `otpauth://totp/` URI an authenticator app enrols from (shown once as a QR code or text).
 * It carries the secret: never log it.
 */
export function otpauthUri(input: {
  readonly issuer: string;
  readonly account: string;
  readonly secret: Uint8Array;
}): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(input.secret),
    issuer: input.issuer,
    algorithm: 'SHA1',
    digits: String(DEFAULTS.digits),
    period: String(DEFAULTS.stepSeconds),
  });
  // URLSearchParams writes spaces as '+', which some apps show literally: use %20.
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}
