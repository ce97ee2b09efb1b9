/**
 * The channel and event names of the contract, without their schemas. The sandboxed preload
 * bundles this file to allow-list calls, and must not pull zod (or anything else) in: a
 * sandboxed preload is one CommonJS file that can only require a few Electron modules.
 * `electron/preload/names.test.ts` checks these lists equal the keys of `channels` and `events`
 * in contract.ts; the `satisfies` clauses reject a misspelt name at compile time.
 */
import type { ChannelName, EventName } from './contract';

/** Every request channel of the contract (`area.verb`). */
export const CHANNEL_NAMES = [
  'app.info',
  'overview.get',
  'tiles.history',
  'estate.scenarios',
  'estate.runScenario',
  'metrics.sources',
  'metrics.catalog',
  'metrics.tagValues',
  'metrics.query',
  'dashboards.list',
  'dashboards.get',
  'dashboards.save',
  'dashboards.delete',
  'dashboards.import',
  'dashboards.export',
  'session.signIn',
  'equipment.inventory',
  'equipment.device',
  'traps.list',
  'diagnostics.templates',
  'diagnostics.hostKey',
  'diagnostics.probeHostKey',
  'diagnostics.confirmHostKey',
  'diagnostics.run',
  'alarms.list',
  'alarms.get',
  'alarms.acknowledge',
  'alarms.snooze',
  'alarms.unacknowledge',
  'alarms.resolve',
  'alarms.close',
  'alarms.assign',
  'alarms.setSeverity',
  'alarms.escalate',
  'alarms.history',
  'alarms.directory',
  'handover.draft',
  'handover.submit',
  'handover.acknowledge',
  'handover.list',
  'maintenance.list',
  'maintenance.save',
  'maintenance.delete',
] as const satisfies readonly ChannelName[];

/** Every push event of the contract (`area.pastTense`). */
export const EVENT_NAMES = [
  'overview.changed',
  'estate.scenarioChanged',
  'metrics.sourcesChanged',
  'dashboards.changed',
  'traps.received',
  'diagnostics.hostKeyChanged',
  'alarms.changed',
  'alarms.notified',
  'handover.changed',
  'maintenance.changed',
] as const satisfies readonly EventName[];
