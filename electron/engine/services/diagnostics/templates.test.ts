import { describe, expect, it } from 'vitest';
import { posixCommandLine } from '../../ports/remote-shell';
import {
  BUILT_IN_TEMPLATES,
  PARAM_TYPES,
  checkTemplate,
  describeTemplate,
  renderTemplate,
  type CommandTemplate,
} from './templates';

function builtIn(id: string): CommandTemplate {
  const t = BUILT_IN_TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`no built-in ${id}`);
  return t;
}

const base = { titleKey: 'test.title', timeoutMs: 1_000, maxOutputBytes: 1_000 } as const;

/** The HAProxy-runtime-API shape issue 9 needs: a fixed socat argv, the command on stdin. */
const DISABLE_SERVER: CommandTemplate = {
  ...base,
  id: 'haproxy-disable-server',
  params: [
    { name: 'backend', titleKey: 'p.backend', type: PARAM_TYPES.haproxyName },
    { name: 'server', titleKey: 'p.server', type: PARAM_TYPES.haproxyName },
  ],
  argv: ['socat', 'stdio', 'unix-connect:/run/haproxy/admin.sock'],
  stdin: [['disable', 'server', { join: [{ param: 'backend' }, '/', { param: 'server' }] }]],
};

const INJECTIONS = [
  'nginx; reboot',
  'nginx;reboot',
  'nginx && reboot',
  'nginx || reboot',
  'nginx | sh',
  'nginx & ',
  '$(reboot)',
  '${IFS}',
  '`reboot`',
  'nginx\nreboot',
  'nginx\rreboot',
  'nginx\u2028reboot',
  'nginx\0',
  '\0',
  "nginx'",
  '"nginx"',
  'nginx service',
  'nginx\tservice',
  '--foo',
  '-h',
  '--no-pager=false',
  '-',
  '',
  ' ',
  '>/etc/passwd',
  '<in',
  '*',
  '~root',
  '../../etc/passwd',
  'a'.repeat(256),
  'a'.repeat(100_000),
  'nginx\u001b[2J',
  'ｎｇｉｎｘ', // full-width lookalikes
];

describe('built-in templates', () => {
  it('are all valid definitions with distinct ids', () => {
    for (const t of BUILT_IN_TEMPLATES) expect(() => checkTemplate(t)).not.toThrow();
    expect(new Set(BUILT_IN_TEMPLATES.map((t) => t.id)).size).toBe(BUILT_IN_TEMPLATES.length);
  });

  it('render service-status with a unit behind `--`', () => {
    const r = renderTemplate(builtIn('service-status'), { unit: 'getty@tty1.service' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(posixCommandLine(r.command.argv)).toBe(
      "systemctl status --no-pager --full --lines 20 -- 'getty@tty1.service'",
    );
    expect(r.command.params).toEqual({ unit: 'getty@tty1.service' });
  });

  it('render parameterless templates from {} or nothing, and refuse any extra key', () => {
    expect(renderTemplate(builtIn('disk-usage'), {})).toMatchObject({
      ok: true,
      command: { argv: ['df', '-P'] },
    });
    expect(renderTemplate(builtIn('uptime'), undefined)).toMatchObject({ ok: true });
    const extra = renderTemplate(builtIn('uptime'), { command: 'reboot' });
    expect(extra.ok).toBe(false);
  });

  it.each(INJECTIONS.map((v) => [JSON.stringify(v).slice(0, 40), v]))(
    'service-status refuses the unit %s',
    (_label, unit) => {
      const r = renderTemplate(builtIn('service-status'), { unit });
      expect(r.ok).toBe(false);
    },
  );

  it.each(INJECTIONS.map((v) => [JSON.stringify(v).slice(0, 40), v]))(
    'interface-stats refuses the interface %s',
    (_label, ifname) => {
      expect(renderTemplate(builtIn('interface-stats'), { ifname }).ok).toBe(false);
    },
  );

  it('interface-stats takes real interface names and refuses what the kernel refuses', () => {
    for (const ifname of ['eth0', 'ens3', 'bond0.100', 'br-lan', 'wlp2s0', 'veth1a2b3c4_d'])
      expect(renderTemplate(builtIn('interface-stats'), { ifname }).ok).toBe(true);
    for (const ifname of ['eth0:1', 'a'.repeat(16), 'eth/0', '.', '..'])
      expect(renderTemplate(builtIn('interface-stats'), { ifname }).ok).toBe(false);
  });

  it('refuses wrong types, missing and unknown parameters, with the path of each issue', () => {
    const t = builtIn('service-status');
    for (const raw of [
      { unit: 5 },
      { unit: null },
      { unit: ['a'] },
      { unit: { a: 1 } },
      {},
      null,
      'unit',
      7,
    ]) {
      expect(renderTemplate(t, raw).ok).toBe(false);
    }
    const r = renderTemplate(t, { unit: 'ok.service', extra: 'x' });
    expect(r).toMatchObject({ ok: false, issues: [{ path: 'params' }] });
    const wrong = renderTemplate(t, { unit: '; id' });
    expect(wrong).toMatchObject({ ok: false, issues: [{ path: 'params.unit' }] });
  });

  it('describe parameters as plain data, with a preview of the command', () => {
    const d = describeTemplate(builtIn('service-status'));
    expect(d.preview).toBe('systemctl status --no-pager --full --lines 20 -- <unit>');
    expect(d.params[0]).toMatchObject({ name: 'unit', type: { kind: 'pattern', maxLength: 255 } });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(describeTemplate(builtIn('disk-usage')).parser).toBe('df-posix');
  });
});

describe('rules every parameter obeys, whatever its type says', () => {
  const lenient: CommandTemplate = {
    ...base,
    id: 'lenient',
    params: [{ name: 'value', titleKey: 'p.v', type: { kind: 'pattern', pattern: /^.*$/su, maxLength: 64 } }],
    argv: ['echo', { param: 'value' }],
  };

  it('a pattern that would accept anything still refuses a leading dash and control characters', () => {
    // The s flag is refused at definition time; render checks regardless.
    for (const value of ['--foo', '-x', 'a\nb', 'a\0b', 'a\u001bb', 'a\u2029b'])
      expect(renderTemplate(lenient, { value }).ok).toBe(false);
    expect(renderTemplate(lenient, { value: 'a; b $(c)' }).ok).toBe(true);
  });

  it('integers are checked as numbers, never coerced from text', () => {
    const t: CommandTemplate = {
      ...base,
      id: 'lines',
      params: [{ name: 'lines', titleKey: 'p.l', type: { kind: 'integer', min: 1, max: 500 } }],
      argv: ['journalctl', '--no-pager', '-n', { param: 'lines' }],
    };
    expect(renderTemplate(t, { lines: 20 })).toMatchObject({
      ok: true,
      command: { argv: ['journalctl', '--no-pager', '-n', '20'] },
    });
    for (const lines of ['20', 20.5, 0, 501, -1, Number.NaN, '20; reboot', 1e21])
      expect(renderTemplate(t, { lines }).ok).toBe(false);
  });

  it('enum values are the only ones accepted', () => {
    const t: CommandTemplate = {
      ...base,
      id: 'priority',
      params: [{ name: 'priority', titleKey: 'p.p', type: { kind: 'enum', values: ['err', 'warning'] } }],
      argv: ['journalctl', '-p', { param: 'priority' }],
    };
    expect(renderTemplate(t, { priority: 'err' }).ok).toBe(true);
    for (const priority of ['ERR', 'err ', 'debug', 'err;id'])
      expect(renderTemplate(t, { priority }).ok).toBe(false);
  });

  it('renders the runtime API command on stdin, joined words included, and refuses injection there', () => {
    const r = renderTemplate(DISABLE_SERVER, { backend: 'be_app', server: 'zone-a-1' });
    expect(r).toMatchObject({
      ok: true,
      command: {
        argv: ['socat', 'stdio', 'unix-connect:/run/haproxy/admin.sock'],
        stdin: 'disable server be_app/zone-a-1\n',
      },
    });
    // `;` separates HAProxy runtime commands, a space separates words, a newline ends one.
    for (const backend of ['be;shutdown sessions server be/s', 'be app', 'be\nshutdown', 'be/s', '-be'])
      expect(renderTemplate(DISABLE_SERVER, { backend, server: 's1' }).ok).toBe(false);
  });
});

describe('checkTemplate refuses unsafe definitions', () => {
  const ok: CommandTemplate = {
    ...base,
    id: 'ok',
    params: [{ name: 'unit', titleKey: 'p.u', type: PARAM_TYPES.systemdUnit }],
    argv: ['systemctl', 'status', '--', { param: 'unit' }],
  };
  const cases: [string, CommandTemplate, RegExp][] = [
    ['bad id', { ...ok, id: 'Bad_Id' }, /id/],
    ['empty argv', { ...ok, argv: [], params: [] }, /empty/],
    ['program from a parameter', { ...ok, argv: [{ param: 'unit' }] }, /argv\[0\]/],
    [
      'unanchored pattern',
      {
        ...ok,
        params: [{ name: 'unit', titleKey: 'p', type: { kind: 'pattern', pattern: /[a-z]+/, maxLength: 9 } }],
      },
      /anchored/,
    ],
    [
      'multiline flag (newline injection)',
      {
        ...ok,
        params: [
          { name: 'unit', titleKey: 'p', type: { kind: 'pattern', pattern: /^[a-z]+$/m, maxLength: 9 } },
        ],
      },
      /flags/,
    ],
    [
      'global flag (stateful lastIndex)',
      {
        ...ok,
        params: [
          { name: 'unit', titleKey: 'p', type: { kind: 'pattern', pattern: /^[a-z]+$/g, maxLength: 9 } },
        ],
      },
      /flags/,
    ],
    ['undeclared parameter', { ...ok, argv: ['echo', { param: 'other' }] }, /undeclared/],
    ['unused parameter', { ...ok, argv: ['uptime'] }, /not used/],
    ['literal with a newline', { ...ok, argv: ['sh', '-c', 'id\nreboot', { param: 'unit' }] }, /control/],
    [
      'enum value with a space',
      { ...ok, params: [{ name: 'unit', titleKey: 'p', type: { kind: 'enum', values: ['a b'] } }] },
      /unsafe enum/,
    ],
    [
      'enum value starting with a dash',
      { ...ok, params: [{ name: 'unit', titleKey: 'p', type: { kind: 'enum', values: ['-rf'] } }] },
      /unsafe enum/,
    ],
    [
      'inverted integer range',
      { ...ok, params: [{ name: 'unit', titleKey: 'p', type: { kind: 'integer', min: 5, max: 1 } }] },
      /range/,
    ],
    ['zero timeout', { ...ok, timeoutMs: 0 }, /timeoutMs/],
    ['huge output cap', { ...ok, maxOutputBytes: 1e9 }, /maxOutputBytes/],
  ];
  it.each(cases)('%s', (_name, template, message) => {
    expect(() => checkTemplate(template)).toThrow(message);
  });

  it('accepts the stdin template', () => {
    expect(() => checkTemplate(DISABLE_SERVER)).not.toThrow();
  });
});
