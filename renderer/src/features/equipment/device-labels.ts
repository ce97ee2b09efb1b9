/** Names of things the inventory gives as identifiers, translated where the catalogs know them. */
import { isMessageKey } from '../../../../shared/i18n';
import type { Translate } from '../../lib/i18n/i18n-context';

/** `UPS`, `Switch` ...; a kind the catalogs do not know is shown as the inventory names it. */
export function kindLabel(t: Translate, kind: string): string {
  const key = `equipment.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}

/** A room's name; a room the inventory does not list by its id; none: "Not in a room". */
export function roomLabel(t: Translate, room: { id: string | null; name: string | null }): string {
  if (room.id === null) return t('equipment.room.none');
  return room.name ?? t('equipment.room.unlisted', { id: room.id });
}
