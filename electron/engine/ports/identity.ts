/**
 * What the transports' session handlers need of the identity service: sign a person in, resolve
 * a session token on every request, lock and unlock a seat, sign out. Tokens are opaque; the
 * service keeps only their hash. Implemented by services/identity (local accounts, TOTP) and fed
 * by the OIDC adapter for single sign-on.
 */
import type { Person } from '../../../shared/domain/identity';

export interface PasswordCredentials {
  readonly login: string;
  readonly password: string;
  readonly totp?: string | undefined;
}

export interface SignedIn {
  readonly token: string;
  readonly person: Person;
  readonly expiresAt: number;
  readonly idleExpiresAt: number;
}

export type TokenCheck =
  | {
      readonly state: 'active' | 'locked';
      readonly person: Person;
      readonly expiresAt: number;
      readonly idleExpiresAt: number;
    }
  | { readonly state: 'expired' | 'unknown' | 'disabled' };

/** Why a sign-in or an unlock was refused. */
export type SignInRefusal = 'BAD_CREDENTIALS' | 'TOTP_REQUIRED' | 'BAD_TOTP' | 'LOCKED_OUT' | 'DISABLED';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly code: SignInRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface IdentityPort {
  /** @throws SignInError */
  signIn(credentials: PasswordCredentials, seat: string): Promise<SignedIn>;
  /** A person authenticated elsewhere (OIDC): opens a session for them. */
  openSession(person: Person, seat: string): Promise<SignedIn>;
  /** Resolves a token and, when active, counts it as used now (idle timeout). */
  check(token: string): Promise<TokenCheck>;
  lock(token: string): Promise<void>;
  /** @throws SignInError */
  unlock(token: string, credentials: Omit<PasswordCredentials, 'login'>): Promise<void>;
  signOut(token: string): Promise<void>;
  /** The session's person changes their own password. @throws SignInError for a wrong current one */
  changePassword(token: string, current: string, next: string): Promise<void>;
  /** The session's person starts enrolling TOTP: the otpauth URI and secret, shown to them once. */
  beginTotp(token: string): Promise<{ uri: string; secret: string }>;
  /** ... and confirms it with a first code; from then on, sign-in asks for a code. */
  confirmTotp(token: string, code: string): Promise<void>;
}
