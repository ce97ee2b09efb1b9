/**
 * Runs profiles against one SNMP agent: carries out the plan (GETs in batches, then every table
 * column in one multi-column GetBulk walk), then evaluates each profile. Used by the device poller
 * and by `vigie device walk`.
 *
 * It makes exactly one attempt per request (retries belong to the poller's schedule), except that a
 * GET batch refused as a whole (PROTOCOL: tooBig, genErr) is asked again OID by OID, and a column
 * walk that fails with a protocol error (an agent whose OIDs do not increase in one column, genErr)
 * is walked again column by column, so one bad OID or column does not blind the others. After a timeout, an unreachable agent or an authentication
 * failure, the remaining requests are not sent: they are reported failed for the same reason.
 */
import type { Clock } from '../../../ports/clock';
import type { SnmpClient, SnmpTarget, SnmpVarbind } from '../../../ports/snmp-client';
import { UpstreamError } from '../../../ports/upstream-error';
import {
  evaluateProfile,
  type ProfileResult,
  type ProfileState,
  type RequestFailure,
  type SnmpSnapshot,
} from './evaluate-profile';
import type { MibProfile } from './mib-profile-schema';
import { planProfiles, type SnmpPlan } from './plan-profiles';

export interface WalkOptions {
  readonly signal: AbortSignal;
  readonly clock: Pick<Clock, 'now'>;
  /** GetBulk max-repetitions for column walks; default 25. */
  readonly maxRepetitions?: number;
  /** OIDs per GET request; default 16. */
  readonly getBatchSize?: number;
  /** Requests in flight at once; default 1 (small management cards handle one at a time best). */
  readonly concurrency?: number;
}

export interface WalkOutcome {
  readonly results: readonly ProfileResult[];
  /** Next states, by profile id: hand them back on the next poll of the same device. */
  readonly states: Readonly<Record<string, ProfileState>>;
  /** Engine time the answers are dated with (after the last request). */
  readonly at: number;
  readonly plan: SnmpPlan;
  readonly snapshot: SnmpSnapshot;
  /** Requests sent, and how many of them failed. */
  readonly requests: { readonly sent: number; readonly failed: number };
  /** The failure that stopped the poll (timeout, unreachable, auth), if one did. */
  readonly stoppedBy: RequestFailure | null;
}

/** Errors after which the agent is not asked anything more in this poll. */
const STOPPING_CODES: ReadonlySet<string> = new Set(['TIMEOUT', 'UNREACHABLE', 'AUTH', 'DECRYPT']);

type Job =
  | { readonly kind: 'get'; readonly oids: readonly string[] }
  | { readonly kind: 'walk'; readonly oids: readonly string[] };

/** Polls `target` once for `profiles` and evaluates them against their `previous` states. */
export async function walkProfiles(
  client: SnmpClient,
  target: SnmpTarget,
  profiles: readonly MibProfile[],
  previous: Readonly<Record<string, ProfileState>> | undefined,
  options: WalkOptions,
): Promise<WalkOutcome> {
  const plan = planProfiles(profiles);
  const maxRepetitions = options.maxRepetitions ?? 25;
  const batchSize = options.getBatchSize ?? 16;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`getBatchSize must be a positive integer, got ${batchSize}`);

  const jobs: Job[] = [];
  for (let i = 0; i < plan.get.length; i += batchSize)
    jobs.push({ kind: 'get', oids: plan.get.slice(i, i + batchSize) });
  if (plan.walk.length > 0) jobs.push({ kind: 'walk', oids: plan.walk });

  const varbinds: SnmpVarbind[] = [];
  const failures: RequestFailure[] = [];
  let sent = 0;
  let failed = 0;
  let stoppedBy: RequestFailure | null = null;

  const record = (oids: readonly string[], err: UpstreamError): void => {
    for (const oid of oids) failures.push({ oid, code: err.code, message: err.message });
    if (stoppedBy === null && STOPPING_CODES.has(err.code))
      stoppedBy = { oid: oids[0] ?? '', code: err.code, message: err.message };
  };
  const attempt = async <T>(oids: readonly string[], run: () => Promise<T>): Promise<T | undefined> => {
    sent += 1;
    try {
      return await run();
    } catch (err: unknown) {
      // Only an agent's failure becomes data; our own bugs (RangeError) and the caller's abort propagate.
      if (!(err instanceof UpstreamError) || err.code === 'ABORTED' || options.signal.aborted) throw err;
      failed += 1;
      record(oids, err);
      return undefined;
    }
  };

  const run = async (job: Job): Promise<void> => {
    if (stoppedBy !== null) {
      const stop: RequestFailure = stoppedBy;
      for (const oid of job.oids)
        failures.push({ oid, code: stop.code, message: `not asked after ${stop.message}` });
      return;
    }
    const got = job.kind === 'walk' ? await walkColumns(job.oids) : await getBatch(job.oids);
    if (got !== undefined) varbinds.push(...got);
  };

  const walkColumns = async (columns: readonly string[]): Promise<SnmpVarbind[] | undefined> => {
    sent += 1;
    try {
      return (await client.walkColumns(target, columns, maxRepetitions, options.signal)).flat();
    } catch (err: unknown) {
      if (!(err instanceof UpstreamError) || err.code === 'ABORTED' || options.signal.aborted) throw err;
      failed += 1;
      if (err.code !== 'PROTOCOL' || columns.length === 1) {
        record(columns, err);
        return undefined;
      }
    }
    // One column broke the walk of all: walk them one by one so that only the bad one is lost.
    const single: SnmpVarbind[] = [];
    for (const oid of columns) {
      if (stoppedBy !== null) {
        const stop: RequestFailure = stoppedBy;
        failures.push({ oid, code: stop.code, message: `not asked after ${stop.message}` });
        continue;
      }
      const got = await attempt([oid], () => client.subtree(target, oid, maxRepetitions, options.signal));
      if (got !== undefined) single.push(...got);
    }
    return single;
  };

  const getBatch = async (oids: readonly string[]): Promise<SnmpVarbind[] | undefined> => {
    sent += 1;
    try {
      return await client.get(target, oids, options.signal);
    } catch (err: unknown) {
      if (!(err instanceof UpstreamError) || err.code === 'ABORTED' || options.signal.aborted) throw err;
      failed += 1;
      if (err.code !== 'PROTOCOL' || oids.length === 1) {
        record(oids, err);
        return undefined;
      }
    }
    // The agent refused the whole PDU: ask OID by OID so that only the bad one is lost.
    const single: SnmpVarbind[] = [];
    for (const oid of oids) {
      if (stoppedBy !== null) {
        const stop: RequestFailure = stoppedBy;
        failures.push({ oid, code: stop.code, message: `not asked after ${stop.message}` });
        continue;
      }
      const got = await attempt([oid], () => client.get(target, [oid], options.signal));
      if (got !== undefined) single.push(...got);
    }
    return single;
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next];
      next += 1;
      if (job !== undefined) await run(job);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, jobs.length)) }, () => worker()));

  const at = options.clock.now();
  const snapshot: SnmpSnapshot = { varbinds, failures };
  const results: ProfileResult[] = [];
  const states: Record<string, ProfileState> = {};
  for (const profile of profiles) {
    const evaluated = evaluateProfile(profile, snapshot, previous?.[profile.id], at);
    results.push(evaluated.result);
    states[profile.id] = evaluated.state;
  }
  return { results, states, at, plan, snapshot, requests: { sent, failed }, stoppedBy };
}
