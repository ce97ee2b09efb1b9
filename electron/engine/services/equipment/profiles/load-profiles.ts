/**
 * Reads MIB profiles from YAML or JSON files (the built-ins in resources/mib-profiles/) and
 * validates them; every problem names the file, the field path and, where the file has it, the
 * line, so a broken profile is fixed without guessing. Nothing is half-loaded: one bad file fails
 * the load.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { mibProfileSchema, type MibProfile } from './mib-profile-schema';

export interface ProfileIssue {
  readonly file: string;
  /** Dotted field path (`tables.0.metrics.3.thresholds`), `(file)` for the file as a whole. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export class MibProfileError extends Error {
  override readonly name = 'MibProfileError';
  constructor(readonly issues: readonly ProfileIssue[]) {
    super(`invalid MIB profiles:\n${formatProfileIssues(issues)}`);
  }
}

const MAX_PROFILE_BYTES = 1024 * 1024;
const PROFILE_FILE = /\.(ya?ml|json)$/i;

export type ProfileParse = { ok: true; profile: MibProfile } | { ok: false; issues: ProfileIssue[] };

/** Parses and validates one profile file's text; `file` only labels the issues. */
export function parseMibProfileText(text: string, file: string): ProfileParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          file,
          path: '(file)',
          message: e.message.split('\n')[0] ?? e.message,
          line: pos.line,
          column: pos.col,
        };
      }),
    };
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const parsed = mibProfileSchema.safeParse(raw);
  if (parsed.success) return { ok: true, profile: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      // Point at the deepest node of the path that exists in the file.
      let node: unknown = undefined;
      for (let depth = issue.path.length; depth >= 0 && !isNode(node); depth--)
        node = doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
      const offset = isNode(node) && node.range ? node.range[0] : undefined;
      const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
      const where = issue.path.length ? issue.path.map(String).join('.') : '(root)';
      return pos
        ? { file, path: where, message: issue.message, line: pos.line, column: pos.col }
        : { file, path: where, message: issue.message };
    }),
  };
}

/**
 * Every `*.yaml`, `*.yml` and `*.json` profile in `dir`, validated, in file-name order. Throws a
 * MibProfileError listing every issue of every file (and ids used twice) when any is wrong.
 */
export async function loadMibProfiles(dir: string): Promise<MibProfile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => PROFILE_FILE.test(n)).sort();
  } catch (err: unknown) {
    throw new MibProfileError([
      { file: dir, path: '(file)', message: `cannot list MIB profiles: ${errorText(err)}` },
    ]);
  }
  const issues: ProfileIssue[] = [];
  const profiles: MibProfile[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    try {
      const buf = await readFile(file);
      if (buf.byteLength > MAX_PROFILE_BYTES) {
        issues.push({ file, path: '(file)', message: `larger than ${MAX_PROFILE_BYTES} bytes` });
        continue;
      }
      text = buf.toString('utf8');
    } catch (err: unknown) {
      issues.push({ file, path: '(file)', message: `cannot be read: ${errorText(err)}` });
      continue;
    }
    const parsed = parseMibProfileText(text, file);
    if (!parsed.ok) {
      issues.push(...parsed.issues);
      continue;
    }
    const other = seen.get(parsed.profile.id);
    if (other !== undefined) {
      issues.push({
        file,
        path: 'id',
        message: `profile id "${parsed.profile.id}" is also used by ${other}`,
      });
      continue;
    }
    seen.set(parsed.profile.id, file);
    profiles.push(parsed.profile);
  }
  if (issues.length > 0) throw new MibProfileError(issues);
  return profiles;
}

/**
 * Built-in and user-defined profiles by id. A user profile may not reuse a built-in id (it would
 * silently change what a built-in name means on every device): give it its own id.
 */
export function combineProfiles(
  builtIn: readonly MibProfile[],
  userDefined: readonly MibProfile[],
  userSource = 'configuration',
): Map<string, MibProfile> {
  const byId = new Map<string, MibProfile>();
  const issues: ProfileIssue[] = [];
  for (const p of builtIn) byId.set(p.id, p);
  userDefined.forEach((p, i) => {
    if (byId.has(p.id)) {
      issues.push({
        file: userSource,
        path: `${i}.id`,
        message: `profile id "${p.id}" is taken by ${builtIn.some((b) => b.id === p.id) ? 'a built-in profile' : 'another profile'}`,
      });
      return;
    }
    byId.set(p.id, p);
  });
  if (issues.length > 0) throw new MibProfileError(issues);
  return byId;
}

/** One line per issue: `file:line:column: path: message`. */
export function formatProfileIssues(issues: readonly ProfileIssue[]): string {
  return issues
    .map(
      (i) =>
        `${i.file}${i.line !== undefined ? `:${i.line}:${i.column ?? 1}` : ''}: ${i.path === '(file)' ? '' : `${i.path}: `}${i.message}`,
    )
    .join('\n');
}

/**
 * Where the built-in profiles are: `$VIGIE_MIB_PROFILES_DIR`, else resources/mib-profiles found
 * from this module (source tree or the built out/main), else from the working directory; null
 * when none exists.
 */
export function builtInProfilesDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    env.VIGIE_MIB_PROFILES_DIR,
    path.resolve(here, '../../../../../resources/mib-profiles'),
    path.resolve(here, '../../resources/mib-profiles'),
    path.resolve('resources/mib-profiles'),
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '' && existsSync(c)) ?? null;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' ? err.code : err.message;
  return String(err);
}
