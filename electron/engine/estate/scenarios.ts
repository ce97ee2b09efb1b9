/**
 * The drills an operator can run on the training estate. Each scenario is data: an id, the i18n
 * key of its description (the text lives in the catalogs, FR/NL/EN) and the conditions it imposes
 * on zones. The simulation turns conditions into readings; nothing here knows about SNMP or HTTP.
 */

/** Where a zone's critical load takes its power from. */
export type PowerSource = 'mains' | 'battery';

/** What a scenario does to the estate when it starts. */
export type ScenarioEffect =
  /** The named zones lose or regain mains power; other zones are left as they are. */
  | { readonly kind: 'power'; readonly zones: Readonly<Record<string, PowerSource>> }
  /** Every zone goes back to its normal condition (mains power). */
  | { readonly kind: 'restore' };

/** One row of the scenario table. */
export interface ScenarioDefinition {
  readonly id: string;
  readonly descriptionKey: string;
  readonly effect: ScenarioEffect;
}

/** The scenario table. Ids are stable: drill scripts and the UI refer to them. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    // Mains lost in zone A: its UPS carry the load on battery, the cooling (not on UPS) stops,
    // non-critical racks are shed, and the services of the zone slow down and fail more often.
    id: 'zone-a-power-failure',
    descriptionKey: 'scenario.zone-a-power-failure.description',
    effect: { kind: 'power', zones: { 'zone-a': 'battery' } },
  },
  {
    // Mains back everywhere: UPS back on normal output and recharging, rooms cooling down.
    id: 'restore',
    descriptionKey: 'scenario.restore.description',
    effect: { kind: 'restore' },
  },
];
