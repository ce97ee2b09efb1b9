/**
 * The functions the alarm latency benchmark exposes to the console's page (`page.exposeBinding`)
 * and alarm-latency-page.ts calls to push what it notes as it happens.
 */
export const BINDINGS = {
  /**
   * (batch, keys, observer time, rowIndices): values rows took, the first time each did, and the
   * aria-rowindex of each key's row (its place in the list, the header being 1).
   */
  seen: 'vigieAlarmLatencySeen',
  /** (batch, time of the second animation frame after the batch). */
  frame: 'vigieAlarmLatencyFrame',
  /** (start, duration): a long task, start in wall ms. */
  longTask: 'vigieAlarmLatencyLongTask',
} as const;
