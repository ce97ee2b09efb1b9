import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from './load-config';
import { telegrafSourceId } from './metrics-schema';

const inventory = [
  'inventory:',
  '  zones:',
  '    - { id: dc1, name: Datacenter 1, kind: primary }',
  '  devices:',
  '    - id: dc1-core-sw',
  '      zone: dc1',
  '      name: Core switch',
  '      kind: switch',
  '      address: 192.0.2.1',
  '      snmp: { version: "2c", community: public }',
  '      uplinkIfIndex: 1',
  '  services:',
  '    - { id: dc1-api-gw, zone: dc1, name: API gateway, url: "https://api.example.org/health" }',
];

function config(...metrics: string[]): string {
  return [...inventory, 'metrics:', ...metrics.map((l) => `  ${l}`), ''].join('\n');
}

const influx = ['store: influxdb', 'influxdb: { url: "http://influx:8086", database: telegraf }'];

describe('metrics.telegraf', () => {
  it('reads a mapping with Telegraf’s default measurement and tag names', () => {
    const r = parseConfigText(
      config(
        ...influx,
        'telegraf:',
        '  devices:',
        '    dc1-core-sw: { agentHost: 192.0.2.1, interfaces: [xe-0/0/1] }',
        '  services:',
        '    dc1-api-gw: { server: "https://api.example.org/health", pingUrl: api.example.org, hosts: [api-01] }',
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const telegraf = r.config.metrics.telegraf;
    expect(telegraf).toMatchObject({
      measurements: {
        snmp: 'snmp',
        interface: 'interface',
        httpResponse: 'http_response',
        ping: 'ping',
        cpu: 'cpu',
        mem: 'mem',
      },
      agentHostTag: 'agent_host',
      interfaceTag: 'ifDescr',
      devices: { 'dc1-core-sw': { agentHost: '192.0.2.1', snmpFields: [], interfaces: ['xe-0/0/1'] } },
      services: { 'dc1-api-gw': { pingUrl: 'api.example.org', hosts: ['api-01'] } },
    });
    // Telegraf writes into the same database as Vigie: its data is in the main source.
    expect(telegraf && telegrafSourceId(telegraf)).toBe('main');
  });

  it('reads Telegraf’s own InfluxDB as a second source', () => {
    const r = parseConfigText(
      config(
        'telegraf:',
        '  influxdb: { url: "https://metrics.example.org:8086", database: telegraf, passwordEnv: TELEGRAF_PW }',
        '  services: { dc1-api-gw: { server: "https://api.example.org/health" } }',
      ),
    );
    expect(r.ok && r.config.metrics.telegraf && telegrafSourceId(r.config.metrics.telegraf)).toBe('telegraf');
  });

  it('names a mapped id the inventory does not have, at its line', () => {
    const r = parseConfigText(
      config(
        ...influx,
        'telegraf:',
        '  devices:',
        '    dc1-core-sw: { agentHost: 192.0.2.1 }',
        '    dc1-ups-9: { agentHost: 192.0.2.10 }',
        '    dc1-api-gw: { agentHost: 192.0.2.11 }',
        '  services:',
        '    dc2-api-gw: { server: "https://dc2.example.org/health" }',
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map(({ path, message, line }) => ({ path, message, line }))).toEqual([
      {
        path: 'metrics.telegraf.devices.dc1-ups-9',
        message: 'no device "dc1-ups-9" in the inventory',
        line: 20,
      },
      {
        path: 'metrics.telegraf.devices.dc1-api-gw',
        message: '"dc1-api-gw" is a service: map it under metrics.telegraf.services',
        line: 21,
      },
      {
        path: 'metrics.telegraf.services.dc2-api-gw',
        message: 'no service "dc2-api-gw" in the inventory',
        line: 23,
      },
    ]);
  });

  it('names what a mapping lacks or gets wrong, by path', () => {
    const r = parseConfigText(
      config(
        ...influx,
        'telegraf:',
        '  interfaceTag: ""',
        '  devices:',
        '    dc1-core-sw: { interfaces: [xe-0/0/1] }',
        '    Core_Switch: { agentHost: 192.0.2.1 }',
        '  services:',
        '    dc1-api-gw: {}',
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^metrics\.telegraf\.interfaceTag: /),
        expect.stringMatching(/^metrics\.telegraf\.devices\.dc1-core-sw\.agentHost: /),
        expect.stringMatching(/^metrics\.telegraf\.devices\.Core_Switch: .*device or service id/),
        'metrics.telegraf.services.dc1-api-gw: map at least one of server (http_response), pingUrl (ping) or hosts (cpu, mem)',
      ]),
    );
  });

  it('refuses a mapping with nowhere to read Telegraf’s data from', () => {
    const r = parseConfigText(config('telegraf: { services: { dc1-api-gw: { hosts: [api-01] } } }'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      expect.objectContaining({
        path: 'metrics.telegraf',
        message: expect.stringMatching(/^Telegraf data is read from InfluxDB/) as unknown,
      }),
    ]);
  });

  it('accepts the documented example', async () => {
    const file = new URL('../../../docs/config-example.yaml', import.meta.url).pathname;
    expect(readFileSync(file, 'utf8')).toContain('telegraf:');
    const r = await loadConfigFile(file);
    expect(r.ok ? [] : r.issues).toEqual([]);
  });
});
