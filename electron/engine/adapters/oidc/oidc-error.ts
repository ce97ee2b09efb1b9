/**
 * Errors of the OIDC client, with a code the shell can turn into a message for the operator.
 * Messages never carry a token, an authorization code, a PKCE verifier or a client secret: they
 * may reach logs and (as a code plus this text) the sign-in screen.
 */

/** What went wrong during a sign-in. */
export type OidcErrorCode =
  /** Configuration or discovery document unusable: unreachable, too large, wrong issuer, missing endpoints. */
  | 'DISCOVERY'
  /** The redirect carried a `state` other than the one this sign-in sent (RFC 6749 section 10.12). */
  | 'STATE_MISMATCH'
  /** The provider answered `error=` on the redirect (the person refused, or the provider said no). */
  | 'DENIED'
  /** No redirect came back in time. */
  | 'TIMEOUT'
  /** The sign-in was cancelled by its caller (the shell, the operator closing the dialog). */
  | 'ABORTED'
  /** The token endpoint refused the code or answered something unusable. */
  | 'TOKEN'
  /** The ID token failed verification: `reason` says which check. */
  | 'ID_TOKEN_INVALID'
  /** The person signed in but no claim maps to a Vigie role: refused, never given a default one. */
  | 'NO_ROLE'
  /** Client scoping comes from claims and none of the person's values maps to a client. */
  | 'NO_CLIENT'
  /** The claims lack what the mapping needs (the login claim, for instance). */
  | 'CLAIMS'
  /** The loopback redirect listener could not be opened. */
  | 'LISTENER';

/** Why an ID token was refused. */
export type IdTokenInvalidReason =
  | 'MALFORMED'
  | 'ALG_NOT_ALLOWED'
  | 'UNKNOWN_KID'
  | 'KEY_MISMATCH'
  | 'SIGNATURE'
  | 'ISSUER'
  | 'AUDIENCE'
  | 'AZP'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'ISSUED_IN_FUTURE'
  | 'NONCE'
  | 'SUBJECT'
  | 'CRIT';

export class OidcError extends Error {
  override readonly name = 'OidcError';
  constructor(
    readonly code: OidcErrorCode,
    message: string,
    readonly reason?: IdTokenInvalidReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An ID token check failed. */
export function idTokenInvalid(reason: IdTokenInvalidReason, message: string): OidcError {
  return new OidcError('ID_TOKEN_INVALID', `ID token refused (${reason}): ${message}`, reason);
}

/**
 * Text from the provider (an `error_description`) made safe to show: one line, printable, short.
 * Whatever secret values this sign-in holds are cut out in case the provider echoes them.
 */
export function providerText(text: string, secrets: readonly string[] = [], max = 200): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
