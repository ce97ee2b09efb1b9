/** Numeric OID helpers for the profile planner and evaluator (dotted, no leading dot). */

/** Lexicographic order of numeric OIDs, arc by arc (RFC 3416 section 4.2.2). */
export function compareOids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** True when `oid` is `root` or lies under it. */
export function isWithin(oid: string, root: string): boolean {
  return oid === root || oid.startsWith(`${root}.`);
}

/** The instance suffix of `oid` under `column` (`1.3.6.1.2.1.2.2.1.2.5` under `...2.2.1.2` is `5`), or null. */
export function indexUnder(oid: string, column: string): string | null {
  return oid.startsWith(`${column}.`) ? oid.slice(column.length + 1) : null;
}
