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
  | { readonly kind: 'restore' }
  /**
   * The named devices present a new SSH host key from now on (re-installed, or someone in the
   * middle): the engine refuses to connect and raises a changed-key alarm until an operator has
   * compared the new fingerprint and confirmed it. Kept across `restore` and restarts.
   */
  | { readonly kind: 'sshHostKey'; readonly devices: readonly string[] };

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
  {
    // Core switch A comes back from a re-installation with a new SSH host key. Offered only when
    // the estate speaks SSH (it was given a data folder).
    id: 'a-core-sw-host-key-changed',
    descriptionKey: 'scenario.a-core-sw-host-key-changed.description',
    effect: { kind: 'sshHostKey', devices: ['a-core-sw'] },
  },
];
