/**
 * Diagnostic command templates: data, not code. A template is an argv whose words are literals or
 * typed parameters; a request names a template and gives parameter values, which are checked by a
 * zod schema built from the template before any word is rendered. There is no way to send a
 * command that is not a template (DESIGN.md section 3; PITFALLS.md on sshd running every exec
 * through the user's shell).
 *
 * Three walls against injection: strict parameter types (anchored patterns, enums, integer
 * ranges); rules every parameter value obeys whatever its type says (no control character, no
 * leading `-` that a program would read as an option); and POSIX quoting of every word when the
 * line is sent (`posixCommandLine`).
 */
import { z } from 'zod';
import { missingCase } from '../../../../shared/domain/missing-case';

/** The type of a parameter: what values are accepted. */
export type ParamType =
  | {
      readonly kind: 'pattern';
      /** Anchored (`^...$`), flags limited to `i` and `u` (`m` would let a newline through). */
      readonly pattern: RegExp;
      readonly maxLength: number;
    }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number };

/** Parameter types shared by templates. */
export const PARAM_TYPES = {
  /**
   * A systemd unit name (systemd.unit(5): letters, digits, `:-_.\@`, at most 255 characters);
   * the backslash of escaped names is left out, and the first character must be a letter or digit.
   */
  systemdUnit: { kind: 'pattern', pattern: /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,254}$/, maxLength: 255 },
  /**
   * A Linux network interface name: at most 15 bytes (IFNAMSIZ - 1), no `/`, `:` or space
   * (the kernel's dev_valid_name), starting with a letter or digit here.
   */
  interfaceName: { kind: 'pattern', pattern: /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}$/, maxLength: 15 },
  /** An HAProxy backend or server name (for runtime API templates). */
  haproxyName: { kind: 'pattern', pattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, maxLength: 64 },
} as const satisfies Record<string, ParamType>;

export interface TemplateParam {
  /** Key in the request's `params` object. */
  readonly name: string;
  /** i18n key of the parameter's label. */
  readonly titleKey: string;
  readonly type: ParamType;
}

export type ParamRef = { readonly param: string };
/** One word: a literal, a parameter, or literals and parameters joined into one word. */
export type TemplateWord = string | ParamRef | { readonly join: readonly (string | ParamRef)[] };

/** Parsers that turn a template's output into readings (see parsers.ts). */
export const PARSER_IDS = ['df-posix', 'uptime', 'proc-net-dev'] as const;
export type ParserId = (typeof PARSER_IDS)[number];

export interface CommandTemplate {
  /** Lower-case letters, digits and dashes: what device configurations allow-list. */
  readonly id: string;
  /** i18n key of the template's title. */
  readonly titleKey: string;
  readonly params: readonly TemplateParam[];
  readonly argv: readonly TemplateWord[];
  /**
   * Lines written to stdin, then EOF: words joined by one space, each line ended by `\n` (e.g. a
   * HAProxy runtime API command for `socat stdio <socket>`). Parameters obey the same rules.
   */
  readonly stdin?: readonly (readonly TemplateWord[])[];
  readonly parser?: ParserId;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

/** What a checked request renders to: the argv and stdin to send, and the validated values. */
export interface RenderedCommand {
  readonly argv: readonly string[];
  readonly stdin?: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export interface ParamIssue {
  readonly path: string;
  readonly message: string;
}

export type RenderResult =
  | { readonly ok: true; readonly command: RenderedCommand }
  | { readonly ok: false; readonly issues: ParamIssue[] };

/** Template as the UI sees it: plain JSON data, patterns as source text. */
export interface TemplateDescription {
  readonly id: string;
  readonly titleKey: string;
  readonly params: readonly {
    readonly name: string;
    readonly titleKey: string;
    readonly type:
      | { readonly kind: 'pattern'; readonly pattern: string; readonly maxLength: number }
      | { readonly kind: 'enum'; readonly values: readonly string[] }
      | { readonly kind: 'integer'; readonly min: number; readonly max: number };
  }[];
  /** The command with `<name>` where parameters go, e.g. `systemctl status -- <unit>`. */
  readonly preview: string;
  readonly parser: ParserId | null;
}

// ---------------------------------------------------------------------------------------------

const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PARAM_NAME = /^[a-z][A-Za-z0-9]{0,31}$/;
const TITLE_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
/** C0 and C1 controls (newline, NUL, escape...) and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const SAFE_ENUM_VALUE = /^[A-Za-z0-9_.:@+,/=][A-Za-z0-9_.:@+,/=-]{0,127}$/;
const MAX_TIMEOUT_MS = 10 * 60_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

const isParamRef = (part: unknown): part is ParamRef =>
  typeof part === 'object' && part !== null && 'param' in part;

function partsOf(word: TemplateWord): readonly (string | ParamRef)[] {
  return typeof word === 'string' || isParamRef(word) ? [word] : word.join;
}

function wordsOf(template: CommandTemplate): TemplateWord[] {
  return [...template.argv, ...(template.stdin ?? []).flat()];
}

/**
 * Throws a RangeError naming what is wrong with a template definition; run at startup over every
 * template, so that a bad definition stops the engine instead of being half-enforced.
 */
export function checkTemplate(template: CommandTemplate): void {
  const where = `template ${JSON.stringify(template.id)}`;
  const fail = (why: string): never => {
    throw new RangeError(`${where}: ${why}`);
  };
  if (!TEMPLATE_ID.test(template.id)) fail('id must be lower-case letters, digits and dashes');
  if (!TITLE_KEY.test(template.titleKey)) fail('invalid titleKey');
  if (template.argv.length === 0) fail('argv is empty');
  if (typeof template.argv[0] !== 'string') fail('argv[0] (the program) must be a literal');
  if (!Number.isInteger(template.timeoutMs) || template.timeoutMs < 1 || template.timeoutMs > MAX_TIMEOUT_MS)
    fail(`timeoutMs must be 1..${MAX_TIMEOUT_MS}`);
  if (
    !Number.isInteger(template.maxOutputBytes) ||
    template.maxOutputBytes < 1 ||
    template.maxOutputBytes > MAX_OUTPUT_BYTES
  )
    fail(`maxOutputBytes must be 1..${MAX_OUTPUT_BYTES}`);
  if (template.parser !== undefined && !PARSER_IDS.includes(template.parser)) fail('unknown parser');

  const declared = new Set<string>();
  for (const p of template.params) {
    if (!PARAM_NAME.test(p.name)) fail(`parameter name ${JSON.stringify(p.name)} is invalid`);
    if (declared.has(p.name)) fail(`parameter ${p.name} is declared twice`);
    if (!TITLE_KEY.test(p.titleKey)) fail(`parameter ${p.name}: invalid titleKey`);
    declared.add(p.name);
    const t = p.type;
    switch (t.kind) {
      case 'pattern':
        if (!t.pattern.source.startsWith('^') || !t.pattern.source.endsWith('$'))
          fail(`parameter ${p.name}: the pattern must be anchored with ^ and $`);
        if (!/^[iu]*$/.test(t.pattern.flags))
          fail(`parameter ${p.name}: pattern flags other than i and u are refused (${t.pattern.flags})`);
        if (!Number.isInteger(t.maxLength) || t.maxLength < 1 || t.maxLength > 1024)
          fail(`parameter ${p.name}: maxLength must be 1..1024`);
        break;
      case 'enum':
        if (t.values.length === 0) fail(`parameter ${p.name}: no values`);
        for (const v of t.values)
          if (!SAFE_ENUM_VALUE.test(v)) fail(`parameter ${p.name}: unsafe enum value ${JSON.stringify(v)}`);
        break;
      case 'integer':
        if (!Number.isSafeInteger(t.min) || !Number.isSafeInteger(t.max) || t.min > t.max)
          fail(`parameter ${p.name}: invalid integer range`);
        break;
      default:
        throw missingCase(t);
    }
  }

  const used = new Set<string>();
  for (const word of wordsOf(template)) {
    const parts = partsOf(word);
    if (parts.length === 0) fail('a joined word is empty');
    for (const part of parts) {
      if (typeof part === 'string') {
        if (CONTROL.test(part)) fail(`literal ${JSON.stringify(part)} holds a control character`);
      } else {
        if (!declared.has(part.param)) fail(`word uses undeclared parameter ${part.param}`);
        used.add(part.param);
      }
    }
  }
  for (const name of declared) if (!used.has(name)) fail(`parameter ${name} is declared but not used`);
}

/** The zod schema of a template's parameters: a strict object (unknown keys are refused). */
export function paramsSchema(template: CommandTemplate): z.ZodType<Record<string, string | number>> {
  const shape: Record<string, z.ZodType<string | number>> = {};
  for (const p of template.params) shape[p.name] = schemaOf(p.type);
  return z.strictObject(shape);
}

function schemaOf(t: ParamType): z.ZodType<string | number> {
  switch (t.kind) {
    case 'pattern':
      return z
        .string()
        .max(t.maxLength)
        .refine((v) => !CONTROL.test(v), 'control characters are not allowed')
        .refine((v) => !v.startsWith('-'), 'must not start with "-" (it would be read as an option)')
        .refine((v) => matchesWhole(t.pattern, v), `must match ${t.pattern.source}`);
    case 'enum':
      return z.enum(t.values as [string, ...string[]]);
    case 'integer':
      return z.number().int().min(t.min).max(t.max);
    default:
      throw missingCase(t);
  }
}

/** Anchors are checked at definition time; a fresh RegExp per test keeps `lastIndex` out of it. */
function matchesWhole(pattern: RegExp, value: string): boolean {
  return new RegExp(pattern.source, pattern.flags).test(value);
}

/** Checks `raw` against the template's parameters and renders its argv and stdin. */
export function renderTemplate(template: CommandTemplate, raw: unknown): RenderResult {
  const parsed = paramsSchema(template).safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.length === 0 ? 'params' : `params.${i.path.map(String).join('.')}`,
        message: i.message,
      })),
    };
  }
  const values = parsed.data;
  const renderWord = (word: TemplateWord): string =>
    partsOf(word)
      .map((part) => (typeof part === 'string' ? part : String(values[part.param])))
      .join('');
  const argv = template.argv.map(renderWord);
  const stdin =
    template.stdin === undefined
      ? undefined
      : template.stdin.map((line) => `${line.map(renderWord).join(' ')}\n`).join('');
  // Last check on the rendered text, whatever the definitions say: stdin holds only its line ends.
  const stdinLines = stdin === undefined ? [] : stdin.slice(0, -1).split('\n');
  if ([...argv, ...stdinLines].some((text) => CONTROL.test(text)))
    return { ok: false, issues: [{ path: 'params', message: 'a rendered word holds a control character' }] };
  return {
    ok: true,
    command: stdin === undefined ? { argv, params: values } : { argv, stdin, params: values },
  };
}

/** The template for the UI: parameters with their types, and a preview of the command. */
export function describeTemplate(template: CommandTemplate): TemplateDescription {
  const preview = template.argv
    .map((word) =>
      partsOf(word)
        .map((part) => (typeof part === 'string' ? part : `<${part.param}>`))
        .join(''),
    )
    .join(' ');
  return {
    id: template.id,
    titleKey: template.titleKey,
    params: template.params.map((p) => ({
      name: p.name,
      titleKey: p.titleKey,
      type:
        p.type.kind === 'pattern'
          ? { kind: 'pattern', pattern: p.type.pattern.source, maxLength: p.type.maxLength }
          : p.type,
    })),
    preview,
    parser: template.parser ?? null,
  };
}

// ---------------------------------------------------------------------------------------------

const param = (name: string): ParamRef => ({ param: name });

/**
 * The built-in catalogue. Each device allow-lists the ids it accepts (inventory `ssh.templates`).
 * Read-only commands only; outputs are small, so caps stay low.
 */
export const BUILT_IN_TEMPLATES: readonly CommandTemplate[] = [
  {
    id: 'uptime',
    titleKey: 'diagnostics.template.uptime',
    params: [],
    argv: ['uptime'],
    parser: 'uptime',
    timeoutMs: 10_000,
    maxOutputBytes: 4 * 1024,
  },
  {
    id: 'disk-usage',
    titleKey: 'diagnostics.template.diskUsage',
    params: [],
    // -P: POSIX output, one line per file system whatever the name lengths (POSIX.1-2017 df).
    argv: ['df', '-P'],
    parser: 'df-posix',
    timeoutMs: 15_000,
    maxOutputBytes: 256 * 1024,
  },
  {
    id: 'interface-counters',
    titleKey: 'diagnostics.template.interfaceCounters',
    params: [],
    argv: ['cat', '/proc/net/dev'],
    parser: 'proc-net-dev',
    timeoutMs: 10_000,
    maxOutputBytes: 256 * 1024,
  },
  {
    id: 'interface-stats',
    titleKey: 'diagnostics.template.interfaceStats',
    params: [{ name: 'ifname', titleKey: 'diagnostics.param.interface', type: PARAM_TYPES.interfaceName }],
    // `dev` makes the next word the name even if it looks like an ip(8) keyword.
    argv: ['ip', '-s', 'link', 'show', 'dev', param('ifname')],
    timeoutMs: 10_000,
    maxOutputBytes: 64 * 1024,
  },
  {
    id: 'service-status',
    titleKey: 'diagnostics.template.serviceStatus',
    params: [{ name: 'unit', titleKey: 'diagnostics.param.unit', type: PARAM_TYPES.systemdUnit }],
    // `--` ends the options: the unit can never be read as one (and the type refuses a leading -).
    argv: ['systemctl', 'status', '--no-pager', '--full', '--lines', '20', '--', param('unit')],
    timeoutMs: 15_000,
    maxOutputBytes: 64 * 1024,
  },
];
