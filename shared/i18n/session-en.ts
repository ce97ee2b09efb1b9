/**
 * English strings of identities and sessions (issue 6): role and capability names, the sign-in
 * form, the lock screen, the header's person and why an action is not offered. Merged into the
 * catalogs by index.ts; the reference set of these keys. Placeholders are `{name}`.
 */
export const sessionEn = {
  'role.viewer': 'Viewer',
  'role.operator': 'Operator',
  'role.oncall': 'On call',
  'role.service-manager': 'Service manager',
  'role.sla-admin': 'SLA administrator',
  'role.publisher': 'Publisher',
  'role.admin': 'Administrator',

  'capability.view': 'Viewing the overview and alarms',
  'capability.view.infrastructure': 'Viewing equipment, metrics and dashboards',
  'capability.alarms.act': 'Acting on alarms',
  'capability.handover.write': 'Handing over the shift',
  'capability.maintenance.write': 'Planning and deleting maintenance windows',
  'capability.dashboards.write': 'Changing dashboards',
  'capability.diagnostics.run': 'Running diagnostics and confirming host keys',
  'capability.estate.drill': 'Running a drill',
  'capability.audit.read': 'Reading the audit trail',
  'capability.secrets.manage': 'Managing secrets',
  'capability.users.manage': 'Managing people and roles',
  'capability.failover.request': 'Requesting a failover',
  'capability.failover.approve': 'Approving a failover',
  'capability.notices.publish': 'Publishing notices',
  'capability.sla.administer': 'Administering the SLA catalogue',
  'capability.reports.review': 'Reviewing reports',

  'access.signInFirst':
    '{what} needs a signed-in person: this seat is viewing without a session. Sign in first.',
  'access.needsRole': '{what} needs the role {roles}, which you do not hold.',

  'session.roles': 'Roles: {roles}',
  'session.noRole': 'none',
  'session.anonymous': 'Not signed in',
  'session.signIn': 'Sign in',
  'session.signOut': 'Sign out',
  'session.lock': 'Lock now',
  'session.lockFailed': 'The seat could not be locked.',
  'session.signOutFailed': 'Signing out failed.',
  'session.menu': 'Session of {name}',

  'signIn.title': 'Sign in to Vigie',
  'signIn.intro': 'This console shows nothing until a person signs in.',
  'signIn.login': 'Login',
  'signIn.password': 'Password',
  'signIn.totp': 'Six-digit code',
  'signIn.totpHint': 'The code your authenticator app shows for Vigie.',
  'signIn.submit': 'Sign in',
  'signIn.working': 'Signing in…',
  'signIn.close': 'Close the sign-in form',
  'signIn.expired': 'Your session has ended (it expired, or was closed elsewhere). Sign in again.',
  'signIn.failed': 'Signing in failed.',
  'signIn.noMethod': 'No way of signing in is configured on this engine. Ask an administrator.',
  'signIn.or': 'or',
  'signIn.sso': 'Sign in with single sign-on',
  'signIn.ssoWaiting': 'Waiting for the identity provider: finish signing in on the page that opened.',
  'signIn.ssoLink': 'Open the sign-in page',
  'signIn.ssoCancel': 'Stop waiting',
  'signIn.ssoFailed': 'Single sign-on failed.',
  'signIn.ssoUnavailable': 'Single sign-on is not configured on this engine.',
  'signIn.checking': 'Checking who is signed in…',

  'auth.reason.SIGN_IN_REQUIRED': 'Sign in first.',
  'auth.reason.BAD_CREDENTIALS': 'Wrong login or password.',
  'auth.reason.TOTP_REQUIRED': 'Enter the six-digit code from your authenticator app.',
  'auth.reason.BAD_TOTP': 'Wrong code. A code changes every 30 seconds and works only once.',
  'auth.reason.LOCKED_OUT': 'Too many failed attempts: this account is blocked for a while. Try again later.',
  'auth.reason.DISABLED': 'This account is disabled. Ask an administrator.',
  'auth.reason.SESSION_EXPIRED': 'Your session has ended. Sign in again.',
  'auth.reason.SEAT_LOCKED': 'This seat is locked.',

  'lock.title': 'Seat locked',
  'lock.intro': 'Locked by {name}. Nothing is shown until they unlock it with their password.',
  'lock.password': 'Password',
  'lock.unlock': 'Unlock',
  'lock.working': 'Unlocking…',
  'lock.failed': 'Unlocking failed.',
  'lock.signOut': 'Sign out (another person can then sign in)',

  'shortcut.signIn': 'Sign in (when viewing without a session)',
  'shortcut.lock': 'Lock the seat now',
} as const;

export type SessionMessageKey = keyof typeof sessionEn;
