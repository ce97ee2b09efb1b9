/**
 * Whether this seat may do something, and if not, why in words: "sign in first" for a seat
 * viewing without a session, otherwise which roles would allow it (from the contract's table,
 * so the text cannot drift from what the engine enforces).
 */
import { ROLE_CAPABILITIES, ROLES, type Capability } from '../../../../shared/api';
import { INTL_LOCALES } from '../i18n/formatters';
import { useI18n } from '../i18n/i18n-context';
import { useSession } from './session-context';

export interface Access {
  readonly allowed: boolean;
  /** Null when allowed; otherwise the translated reason to show beside the disabled action. */
  readonly reason: string | null;
}

/** The roles that grant `capability`. */
export function rolesGranting(capability: Capability) {
  return ROLES.filter((role) => ROLE_CAPABILITIES[role].includes(capability));
}

export function useAccess(capability: Capability): Access {
  const { t, locale } = useI18n();
  const session = useSession();
  if (session !== null && session.capabilities.includes(capability)) return { allowed: true, reason: null };
  const what = t(`capability.${capability}`);
  if (session === null || session.person === null)
    return { allowed: false, reason: t('access.signInFirst', { what }) };
  const roles = new Intl.ListFormat(INTL_LOCALES[locale], { type: 'disjunction' }).format(
    rolesGranting(capability).map((role) => t(`role.${role}`)),
  );
  return { allowed: false, reason: t('access.needsRole', { what, roles }) };
}
