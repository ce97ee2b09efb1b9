/**
 * What to ask an agent for a set of profiles: scalars by GET (sysUpTime.0 included when a profile
 * has counters or detects reboots), tables by walking (GetBulk) only the columns the profiles use,
 * all of them side by side in one multi-column walk (SnmpClient.walkColumns), rather than whole
 * tables of which a profile reads a few columns.
 */
import { profileNeedsUptime, SYS_UPTIME_OID } from './evaluate-profile';
import { whereClauses, type MibProfile, type TableDef } from './mib-profile-schema';
import { compareOids, isWithin } from './oid';

export interface SnmpPlan {
  /** Instance OIDs to GET, in OID order. */
  readonly get: readonly string[];
  /** Column OIDs to walk (together), in OID order; none lies under another. */
  readonly walk: readonly string[];
}

/** The columns of one table that the evaluator reads. */
export function tableColumns(table: TableDef): string[] {
  const columns = [table.index];
  if (table.discontinuity !== undefined) columns.push(table.discontinuity);
  for (const l of table.labels) columns.push(l.column);
  for (const m of table.metrics) {
    if (m.column !== undefined) columns.push(m.column);
    if (m.multiplyBy !== undefined) columns.push(m.multiplyBy);
    if (m.denominator !== undefined) columns.push(m.denominator);
    if (m.entitySensorScale !== undefined)
      columns.push(m.entitySensorScale.scale, m.entitySensorScale.precision);
    for (const w of whereClauses(m)) columns.push(w.column);
    if (m.validWhen !== undefined) columns.push(m.validWhen.column);
  }
  return columns;
}

export function planProfiles(profiles: readonly MibProfile[]): SnmpPlan {
  const gets = new Set<string>();
  const walks = new Set<string>();
  for (const profile of profiles) {
    if (profileNeedsUptime(profile)) gets.add(SYS_UPTIME_OID);
    for (const m of profile.scalars) if (m.oid !== undefined) gets.add(m.oid);
    for (const t of profile.tables) for (const column of tableColumns(t)) walks.add(column);
  }
  const walk = [...walks]
    .sort(compareOids)
    .filter((oid, i, sorted) => !sorted.slice(0, i).some((root) => isWithin(oid, root)));
  // A scalar under a walked column is still asked by GET: its absence then comes back as
  // noSuchInstance from the agent, not as a guess.
  const get = [...gets].sort(compareOids);
  return { get, walk };
}
