/**
 * The functions the alarm latency benchmark exposes to the console's page (`page.exposeBinding`)
 * and alarm-latency-page.ts calls to push what it notes as it happens.
 */
export const BINDINGS = {
  /** (batch, keys, observer time): values rows took, the first time each did. */
  seen: 'vigieAlarmLatencySeen',
  /** (batch, time of the second animation frame after the batch). */
  frame: 'vigieAlarmLatencyFrame',
  /** (start, duration): a long task, start in wall ms. */
  longTask: 'vigieAlarmLatencyLongTask',
} as const;
