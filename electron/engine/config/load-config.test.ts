import { describe, expect, it } from 'vitest';
import { formatIssues, parseConfigText } from './load-config';

describe('parseConfigText', () => {
  it('applies defaults to an empty file', () => {
    const r = parseConfigText('');
    expect(r.ok && r.config.server.port).toBe(8680);
  });
  it('names the field and line of a wrong value', () => {
    const r = parseConfigText(['server:', '  port: 99999', ''].join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ path: 'server.port', line: 2 });
  });
  it('names an unknown field instead of ignoring it', () => {
    const r = parseConfigText('polling:\n  intervall: 5\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.path).toBe('polling');
    expect(r.issues[0]?.message).toMatch(/intervall/);
  });
  it('reports a device in an unknown zone at its line', () => {
    const text = [
      'inventory:',
      '  zones:',
      '    - { id: zone-a, name: Zone A, kind: primary }',
      '  devices:',
      '    - id: ups-1',
      '      zone: zone-x',
      '      name: UPS 1',
      '      kind: ups',
      '      address: 10.0.0.1',
      '      snmp: { version: "2c", community: public }',
    ].join('\n');
    const r = parseConfigText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      expect.objectContaining({
        path: 'inventory.devices.0.zone',
        line: 6,
        message: 'unknown zone "zone-x"',
      }),
    ]);
  });
  it('reports YAML syntax errors with their position', () => {
    const r = parseConfigText('server:\n  port: [1, 2\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.line).toBeGreaterThan(0);
    expect(formatIssues('vigie.yaml', r.issues)).toMatch(/^vigie\.yaml:\d+:\d+: /);
  });
  it('rejects duplicate keys', () => {
    expect(parseConfigText('estate: true\nestate: false\n').ok).toBe(false);
  });
});
