/**
 * Every secret the tests and their fixtures give Vigie or a test server: SNMP communities and v3
 * passphrases, SSH and SMTP passwords, tokens, vault values. `npm run test:all` ends by scanning
 * every log the run wrote (test-results/logs/) for each of them (scripts/check-log-redaction.mts):
 * a secret in a log fails the run, naming the file and line.
 *
 * Only distinctive values belong here: a word such as `public` or `training` (the training
 * estate's community, printed on purpose) also appears in ordinary log text. Tests that need a
 * new secret should take it from this list, so the scan knows it.
 */
export const TEST_SECRETS = {
  /** test/integration/servers.int.test.ts: snmpd v3 user. */
  snmpV3AuthPassphrase: 'auth-pass-4-tests',
  snmpV3PrivPassphrase: 'priv-pass-4-tests',
  snmpWrongPassphrase: 'not-the-passphrase',
  /** test/integration/servers.int.test.ts, mib-profiles*.int.test.ts: v2c communities. */
  snmpCommunity: 'vigie-ro',
  snmpProfilesCommunity: 'vigie-profiles',
  snmpWrongCommunity: 'not-the-community',
  /** test/integration/notification-channels.int.test.ts: SMTP AUTH. */
  smtpPassword: 'correct horse battery staple',
  smtpWrongPassword: 'wrong-password-123',
  /** test/integration/ssh-remote-shell.int.test.ts: a password the server refuses. */
  sshRefusedPassword: 'not-accepted',
  /** Vault values set by the vault's and the CLI's tests. */
  vaultSmtpPassword: 'piped-smtp-secret',
  vaultTypedSecret: 'typed-secret',
  vaultV3Passphrase: 'auth-passphrase-123',
  vaultRotated: 'rotated-passphrase',
  vaultCommunity: 'pr1vate-c0mmunity',
  /** electron/engine/adapters/log/pino-logger.test.ts: values the redaction must hide. */
  redactionProbe: 'redact-me-4f1c9e',
} as const;

/** The values, for the scan. */
export const TEST_SECRET_VALUES: readonly string[] = Object.values(TEST_SECRETS);

/**
 * Secrets not known in advance (SSH keys generated per run by test/servers/sshd.ts): any PEM or
 * OpenSSH private key block in a log is a leak, whatever its bytes.
 */
export const SECRET_PATTERNS: readonly RegExp[] = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/];
