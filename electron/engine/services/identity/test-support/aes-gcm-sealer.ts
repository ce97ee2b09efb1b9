/**
 * A SecretSealer for tests: AES-256-GCM with a key held in memory, the additional data bound to
 * each ciphertext. Output: base64url of iv (12 bytes) | tag (16 bytes) | ciphertext. The secret
 * vault of issue 6 provides the production one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretSealer } from '../../../ports/account-store';

export class AesGcmTestSealer implements SecretSealer {
  /** How many values were sealed and opened (tests check the store really went through it). */
  sealed = 0;
  opened = 0;

  constructor(private readonly key: Buffer = randomBytes(32)) {}

  seal(plaintext: string, aad: string): string {
    this.sealed++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string, aad: string): string {
    this.opened++;
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
