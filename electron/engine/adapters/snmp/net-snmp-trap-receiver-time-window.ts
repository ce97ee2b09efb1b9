/**
 * The SNMPv3 timeliness check of a notification receiver that is NOT the authoritative engine
 * (a trap: the sender is authoritative, RFC 3414 section 1.5.1), RFC 3414 section 3.2 step 7b.
 *
 * net-snmp's Receiver does not do it (its Session does, for responses only), so a captured v3
 * trap, digest and all, could be replayed at will. The receiver keeps, per authoritative engine
 * ID, the latest engineBoots and engineTime of an authentic message, and its own notion of that
 * engine's time, which advances with the local clock (section 2.3):
 *
 * 1. A message advances the notion when its boots is higher, or its boots is the same and its
 *    time is later than the latest time received: the notion becomes (boots, time), now.
 * 2. Then the message is outside the window when the notion's boots is 2147483647 (latched), the
 *    message's boots is lower than the notion's, or (same boots) its time is more than 150 s
 *    behind the notion's time.
 *
 * Pure: time is given (monotonic milliseconds), so tests need no clock. Only messages that passed
 * authentication may be given (a forged message must not move the notion).
 */

/** RFC 3414 section 3.2 step 7b: 150 seconds. */
export const USM_TIME_WINDOW_SECONDS = 150;
/** snmpEngineBoots latches here (RFC 3414 section 2.2.2). */
export const MAX_ENGINE_BOOTS = 2_147_483_647;

/** What the receiver believes of one sender engine. */
export interface EngineNotion {
  readonly boots: number;
  /** engineTime at `receivedAt`. */
  readonly time: number;
  /** The highest engineTime received for `boots` (what a message must exceed to advance). */
  readonly latestTime: number;
  /** Local monotonic milliseconds when the notion was last set. */
  readonly receivedAt: number;
}

export type WindowVerdict =
  | { readonly inWindow: true; readonly notion: EngineNotion }
  | {
      readonly inWindow: false;
      readonly notion: EngineNotion;
      readonly why: 'bootsLatched' | 'bootsBehind' | 'timeBehind';
      /** The notion's engineTime now, for the log. */
      readonly expectedTime: number;
    };

/**
 * The step 7b decision for one authentic message, and the notion to keep afterwards. `previous`:
 * the notion before this message (undefined: the first message of this engine, which
 * establishes it). `nowMs`: local monotonic milliseconds.
 */
export function checkTimeWindow(
  previous: EngineNotion | undefined,
  message: { readonly boots: number; readonly time: number },
  nowMs: number,
): WindowVerdict {
  const advances =
    previous === undefined ||
    message.boots > previous.boots ||
    (message.boots === previous.boots && message.time > previous.latestTime);
  const notion: EngineNotion = advances
    ? { boots: message.boots, time: message.time, latestTime: message.time, receivedAt: nowMs }
    : previous;
  const expectedTime = notionTime(notion, nowMs);
  if (notion.boots >= MAX_ENGINE_BOOTS) return { inWindow: false, notion, why: 'bootsLatched', expectedTime };
  if (message.boots < notion.boots) return { inWindow: false, notion, why: 'bootsBehind', expectedTime };
  if (message.boots === notion.boots && message.time < expectedTime - USM_TIME_WINDOW_SECONDS)
    return { inWindow: false, notion, why: 'timeBehind', expectedTime };
  return { inWindow: true, notion };
}

/** The notion's engineTime at `nowMs`: the time received plus the whole seconds elapsed since. */
export function notionTime(notion: EngineNotion, nowMs: number): number {
  return notion.time + Math.max(0, Math.floor((nowMs - notion.receivedAt) / 1000));
}

/**
 * Notions per sender engine ID, bounded: beyond `maxEngines`, the engine least recently heard
 * from is forgotten (its next message establishes a new notion, so an old message of a
 * forgotten engine would pass: the bound only matters to someone holding a user's keys and
 * cycling engine IDs, who can forge fresh messages anyway).
 */
export class TimeWindowTracker {
  private readonly notions = new Map<string, EngineNotion>();

  constructor(private readonly maxEngines = 10_000) {}

  /** Checks one authentic message of `engineId` (lower-case hex) and keeps the notion. */
  check(
    engineId: string,
    message: { readonly boots: number; readonly time: number },
    nowMs: number,
  ): WindowVerdict {
    const previous = this.notions.get(engineId);
    const verdict = checkTimeWindow(previous, message, nowMs);
    // Re-inserted so that the Map's order is least recently heard first.
    this.notions.delete(engineId);
    this.notions.set(engineId, verdict.notion);
    if (this.notions.size > this.maxEngines) {
      const oldest = this.notions.keys().next();
      if (oldest.done !== true) this.notions.delete(oldest.value);
    }
    return verdict;
  }

  get size(): number {
    return this.notions.size;
  }
}
