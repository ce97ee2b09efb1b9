/**
 * Rates from SNMP counters (RFC 2863 section 3.1.6). A counter that goes backwards is either a
 * wrap (it passed its maximum) or a discontinuity (agent restart, counter reset). A restart is a
 * gap, never a negative or huge spike: it is detected by sysUpTime going back or the
 * ifCounterDiscontinuityTime changing.
 */
export interface CounterSample {
  /** The counter value; bigint so Counter64 values above 2^53 stay exact. */
  readonly value: bigint;
  /** Engine time of the sample, epoch ms. */
  readonly at: number;
  /** The agent's sysUpTime in hundredths of a second. */
  readonly upTime: number;
  /** ifCounterDiscontinuityTime (TimeTicks) when the agent has it. */
  readonly discontinuity?: number;
}

export type RateResult =
  | { readonly kind: 'rate'; readonly perSecond: number }
  | { readonly kind: 'gap'; readonly reason: 'first' | 'reset' | 'interval' };

/** Per-second rate of change between two samples of a counter of `bits` width. */
export function counterRate(prev: CounterSample | undefined, next: CounterSample, bits: 32 | 64): RateResult {
  if (!prev) return { kind: 'gap', reason: 'first' };
  const seconds = (next.at - prev.at) / 1000;
  if (!(seconds > 0)) return { kind: 'gap', reason: 'interval' };
  if (next.upTime < prev.upTime) return { kind: 'gap', reason: 'reset' };
  if (
    prev.discontinuity !== undefined &&
    next.discontinuity !== undefined &&
    prev.discontinuity !== next.discontinuity
  )
    return { kind: 'gap', reason: 'reset' };
  let delta = next.value - prev.value;
  if (delta < 0n) {
    const modulus = 1n << BigInt(bits);
    delta += modulus;
    // A wrap can only be believed if the implied rate is physically plausible: a counter that went
    // back by most of its range in one interval was reset, not wrapped.
    if (delta > modulus / 2n) return { kind: 'gap', reason: 'reset' };
  }
  return { kind: 'rate', perSecond: Number(delta) / seconds };
}
