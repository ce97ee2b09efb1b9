/**
 * Reads the configuration file (YAML, or JSON, which is YAML too) and validates it against the
 * schema. Every problem names the field and, where the file has it, the line and column, so
 * `vigie config check` can be fixed without guessing.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadInventoryFiles } from '../inventory/load-inventory';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { telegrafMappingIssues, type MappingIssue } from './metrics-schema';
import { configSchema, type VigieConfig } from './schema';

export interface ConfigIssue {
  /** The file the issue is in, when not the configuration file itself (an included inventory file). */
  readonly file?: string;
  /** Dotted path of the field, e.g. `inventory.devices.2.zone`; `(file)` for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type ConfigResult = { ok: true; config: VigieConfig } | { ok: false; issues: ConfigIssue[] };

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export function parseConfigText(text: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          path: '(file)',
          message: e.message.split('\n')[0] ?? e.message,
          line: pos.line,
          column: pos.col,
        };
      }),
    };
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const parsed = configSchema.safeParse(raw);
  const located = (issue: { path: readonly PropertyKey[]; message: string }): ConfigIssue => {
    // Point at the deepest node of the path that exists in the file.
    let node: unknown = undefined;
    for (let depth = issue.path.length; depth >= 0 && !isNode(node); depth--)
      node = doc.getIn(issue.path.slice(0, depth), true);
    const offset = isNode(node) && node.range ? node.range[0] : undefined;
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    return pos
      ? { path, message: issue.message, line: pos.line, column: pos.col }
      : { path, message: issue.message };
  };
  if (parsed.success) {
    // With included inventory files, the mapping is checked once they are merged (loadConfigFile).
    const mapping = parsed.data.inventory.include.length > 0 ? [] : crossIssues(parsed.data);
    return mapping.length > 0
      ? { ok: false, issues: mapping.map(located) }
      : { ok: true, config: parsed.data };
  }
  return { ok: false, issues: parsed.error.issues.map(located) };
}

/**
 * What refers across sections: the Telegraf mapping names devices and services of the inventory
 * (the training estate brings its own inventory, so its mapping is checked by the engine).
 */
function crossIssues(config: VigieConfig): MappingIssue[] {
  const telegraf = config.metrics.telegraf;
  if (!telegraf || config.estate) return [];
  return telegrafMappingIssues(telegraf, config.inventory);
}

export async function loadConfigFile(file: string): Promise<ConfigResult> {
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.byteLength > MAX_CONFIG_BYTES)
      return { ok: false, issues: [{ path: '(file)', message: `larger than ${MAX_CONFIG_BYTES} bytes` }] };
    text = buf.toString('utf8');
  } catch (err: unknown) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const message =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : 'cannot be read';
    return { ok: false, issues: [{ path: '(file)', message: `${file}: ${message}` }] };
  }
  const parsed = parseConfigText(text);
  if (!parsed.ok || parsed.config.inventory.include.length === 0) return parsed;
  // Included inventory files, relative to the configuration file, merged and checked as a whole.
  const { include, ...inline } = parsed.config.inventory;
  const files = include.map((f) => resolve(dirname(file), f));
  const loaded = await loadInventoryFiles(inline, files, file);
  if (!loaded.ok)
    return {
      ok: false,
      issues: loaded.issues.map((i) => ({
        ...(i.file === file ? {} : { file: i.file }),
        path:
          [i.line !== undefined ? `line ${i.line}` : undefined, i.column ?? i.path]
            .filter((x) => x !== undefined && x !== '')
            .join(', ') || '(file)',
        message: i.message,
      })),
    };
  const config = { ...parsed.config, inventory: { ...loaded.inventory, include } };
  const mapping = crossIssues(config);
  if (mapping.length > 0)
    return {
      ok: false,
      issues: mapping.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  return { ok: true, config };
}

/** One line per issue: `file:line:column: field: message`. */
export function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues
    .map(
      (i) =>
        `${i.file ?? file}${i.line !== undefined ? `:${i.line}:${i.column ?? 1}` : ''}: ${i.path === '(file)' ? '' : `${i.path}: `}${i.message}`,
    )
    .join('\n');
}
