/**
 * The engine's VALIDATION answers name the fields they refuse (`issues[].path`, dotted as
 * `clients.1`); a form shows each message beside its field instead of in a list at the foot.
 */
import { apiErrorOf } from '../../lib/api/bridge-error';

/** The engine's messages about `field` (its path or anything under it), for a failed request. */
export function fieldIssues(error: unknown, field: string): string[] {
  const apiError = apiErrorOf(error);
  if (apiError?.code !== 'VALIDATION') return [];
  return (apiError.issues ?? [])
    .filter((issue) => issue.path === field || issue.path.startsWith(`${field}.`))
    .map((issue) => issue.message);
}

/** Whether every issue of a VALIDATION answer belongs to one of `fields` (nothing left to list). */
export function allIssuesPlaced(error: unknown, fields: readonly string[]): boolean {
  const apiError = apiErrorOf(error);
  const issues = apiError?.code === 'VALIDATION' ? (apiError.issues ?? []) : [];
  return (
    issues.length > 0 &&
    issues.every((issue) => fields.some((f) => issue.path === f || issue.path.startsWith(`${f}.`)))
  );
}
