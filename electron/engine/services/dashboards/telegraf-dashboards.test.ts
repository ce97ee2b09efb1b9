import { describe, expect, it } from 'vitest';
import { dashboardSchema, type Dashboard } from '../../../../shared/domain/dashboard';
import { DuckDbStateStore } from '../../adapters/duckdb/duckdb-state-store';
import { telegrafSchema, type TelegrafMapping } from '../../config/metrics-schema';
import { configSchema } from '../../config/schema';
import { autoDashboards } from './auto-dashboards';
import { DashboardsService } from './dashboards-service';
import { telegrafMetricUnit } from './telegraf-panels';

const snmp = { version: '2c', community: 'public' };
const inventory = configSchema.parse({
  inventory: {
    zones: [
      { id: 'dc1', name: 'Datacenter 1', kind: 'primary' },
      { id: 'dc2', name: 'Datacenter 2', kind: 'primary' },
    ],
    devices: [
      {
        id: 'dc1-core-sw',
        zone: 'dc1',
        name: 'Core switch',
        kind: 'switch',
        address: '192.0.2.1',
        snmp,
        uplinkIfIndex: 1,
      },
      { id: 'dc1-ups-1', zone: 'dc1', name: 'UPS 1', kind: 'ups', address: '192.0.2.10', snmp },
      { id: 'constructor', zone: 'dc1', name: 'PDU', kind: 'pdu', address: '192.0.2.30', snmp },
    ],
    services: [
      { id: 'dc1-api', zone: 'dc1', name: 'API gateway', url: 'https://api.dc1.example.org/health' },
      { id: 'dc2-api', zone: 'dc2', name: 'API gateway', url: 'https://api.dc2.example.org/health' },
      { id: 'dc1-db', zone: 'dc1', name: 'Database', url: 'https://db.dc1.example.org/health' },
    ],
  },
}).inventory;

function mapping(extra: Record<string, unknown> = {}): TelegrafMapping {
  return telegrafSchema.parse({
    devices: {
      'dc1-core-sw': { agentHost: '192.0.2.1' },
      'dc1-ups-1': { agentHost: '192.0.2.10', snmpFields: ['upsBatteryCharge'] },
    },
    services: {
      'dc1-api': {
        server: 'https://api.dc1.example.org/health',
        pingUrl: 'api.dc1.example.org',
        hosts: ['api-01'],
      },
      'dc2-api': { server: 'https://api.dc2.example.org/health', hosts: ['api-02', 'api-01'] },
    },
    ...extra,
  });
}

function find(list: Dashboard[], id: string): Dashboard {
  const found = list.find((d) => d.id === id);
  if (!found) throw new Error(`no dashboard ${id}; ${list.map((d) => d.id).join(', ')}`);
  return found;
}

function panel(d: Dashboard, id: string) {
  const found = d.panels.find((p) => p.id === id);
  if (!found) throw new Error(`no panel ${id} in ${d.id}; ${d.panels.map((p) => p.id).join(', ')}`);
  return found;
}

describe('built-in dashboards with a Telegraf mapping', () => {
  it('gives each mapped device a valid dashboard beside the zone and service ones', () => {
    const list = autoDashboards(inventory, mapping());
    expect(list.map((d) => d.id)).toEqual([
      'auto-zone-dc1',
      'auto-zone-dc2',
      'auto-device-dc1-core-sw',
      'auto-device-dc1-ups-1',
      'auto-service-api-gateway',
      'auto-service-database',
    ]);
    for (const d of list) expect(dashboardSchema.safeParse(d).error).toBeUndefined();
    // Without a mapping, nothing changes.
    expect(autoDashboards(inventory).map((d) => d.id)).toEqual([
      'auto-zone-dc1',
      'auto-zone-dc2',
      'auto-service-api-gateway',
      'auto-service-database',
    ]);
  });

  it('charts a switch’s interface counters as bits per second for its agent, a line per interface', () => {
    const sw = find(autoDashboards(inventory, mapping()), 'auto-device-dc1-core-sw');
    expect(sw.title).toBe('Core switch (Datacenter 1)');
    expect(panel(sw, 'uplink-traffic').series.map((s) => [s.measurement, s.field, s.where])).toEqual([
      ['vigie', 'inBitsPerSecond', [{ key: 'source', op: '=', value: 'dc1-core-sw' }]],
      ['vigie', 'outBitsPerSecond', [{ key: 'source', op: '=', value: 'dc1-core-sw' }]],
    ]);
    expect(panel(sw, 'interface-in').series).toEqual([
      {
        source: 'main',
        measurement: 'interface',
        field: 'ifHCInOctets',
        where: [{ key: 'agent_host', op: '=', value: '192.0.2.1' }],
        groupBy: ['ifDescr'],
        aggregation: 'last',
        label: 'inbound traffic',
        transform: { rate: true, scale: 8, offset: 0, unit: 'bitsPerSecond' },
      },
    ]);
    expect(panel(sw, 'interface-out').series[0]?.field).toBe('ifHCOutOctets');
  });

  it('charts only the listed interfaces, under the site’s own measurement and tag names, from Telegraf’s source', () => {
    const custom = mapping({
      influxdb: { url: 'http://influx:8086', database: 'telegraf' },
      measurements: { interface: 'ifXTable' },
      agentHostTag: 'source',
      interfaceTag: 'ifName',
      devices: { 'dc1-core-sw': { agentHost: 'core-sw.dc1', interfaces: ['Ethernet1', 'Ethernet2'] } },
    });
    const sw = find(autoDashboards(inventory, custom), 'auto-device-dc1-core-sw');
    const inbound = panel(sw, 'interface-in').series;
    expect(inbound.map((s) => [s.source, s.measurement, s.label, s.groupBy, s.where])).toEqual([
      [
        'telegraf',
        'ifXTable',
        'Ethernet1',
        [],
        [
          { key: 'source', op: '=', value: 'core-sw.dc1' },
          { key: 'ifName', op: '=', value: 'Ethernet1' },
        ],
      ],
      [
        'telegraf',
        'ifXTable',
        'Ethernet2',
        [],
        [
          { key: 'source', op: '=', value: 'core-sw.dc1' },
          { key: 'ifName', op: '=', value: 'Ethernet2' },
        ],
      ],
    ]);
    // Vigie's own readings stay on Vigie's store.
    expect(panel(sw, 'uplink-traffic').series[0]?.source).toBe('main');
  });

  it('charts the SNMP fields the mapping names for a UPS, and no interfaces', () => {
    const ups = find(autoDashboards(inventory, mapping()), 'auto-device-dc1-ups-1');
    expect(ups.panels.map((p) => p.id)).toEqual(['battery-charge', 'output-load', 'snmp-1-upsbatterycharge']);
    expect(panel(ups, 'snmp-1-upsbatterycharge').series).toEqual([
      {
        source: 'main',
        measurement: 'snmp',
        field: 'upsBatteryCharge',
        where: [{ key: 'agent_host', op: '=', value: '192.0.2.10' }],
        groupBy: [],
        aggregation: 'mean',
        label: 'UPS 1',
      },
    ]);
    // Panels are laid out two by two on the 12-column grid.
    expect(ups.panels.map((p) => p.layout)).toEqual([
      { x: 0, y: 0, w: 6, h: 4 },
      { x: 6, y: 0, w: 6, h: 4 },
      { x: 0, y: 4, w: 6, h: 4 },
    ]);
  });

  it('adds a service’s health checks and machines, per zone and per host, below its latency', () => {
    const api = find(autoDashboards(inventory, mapping()), 'auto-service-api-gateway');
    expect(api.panels.map((p) => p.id)).toEqual([
      'latency',
      'http-response-time',
      'http-result',
      'ping-rtt',
      'ping-loss',
      'cpu-busy',
      'memory-used',
    ]);
    expect(panel(api, 'http-response-time').series).toEqual([
      {
        source: 'main',
        measurement: 'http_response',
        field: 'response_time',
        where: [{ key: 'server', op: '=', value: 'https://api.dc1.example.org/health' }],
        groupBy: [],
        aggregation: 'mean',
        label: 'dc1',
        transform: { rate: false, scale: 1000, offset: 0, unit: 'milliseconds' },
      },
      expect.objectContaining({
        label: 'dc2',
        where: [{ key: 'server', op: '=', value: 'https://api.dc2.example.org/health' }],
      }),
    ]);
    expect(panel(api, 'http-result').series.map((s) => [s.field, s.aggregation])).toEqual([
      ['result_code', 'max'],
      ['result_code', 'max'],
    ]);
    // Only dc1 is pinged.
    expect(panel(api, 'ping-rtt').series.map((s) => [s.measurement, s.field, s.label, s.where])).toEqual([
      ['ping', 'average_response_ms', 'dc1', [{ key: 'url', op: '=', value: 'api.dc1.example.org' }]],
    ]);
    expect(panel(api, 'ping-loss').series[0]).toMatchObject({
      field: 'percent_packet_loss',
      aggregation: 'max',
    });
    // Each machine once, CPU busy as 100 - idle of the whole machine.
    expect(panel(api, 'cpu-busy').series).toEqual([
      {
        source: 'main',
        measurement: 'cpu',
        field: 'usage_idle',
        where: [
          { key: 'host', op: '=', value: 'api-01' },
          { key: 'cpu', op: '=', value: 'cpu-total' },
        ],
        groupBy: [],
        aggregation: 'mean',
        label: 'api-01',
        transform: { rate: false, scale: -1, offset: 100, unit: 'percent' },
      },
      expect.objectContaining({ label: 'api-02' }),
    ]);
    expect(panel(api, 'memory-used').series.map((s) => [s.measurement, s.field, s.label])).toEqual([
      ['mem', 'used_percent', 'api-01'],
      ['mem', 'used_percent', 'api-02'],
    ]);
    expect(panel(api, 'latency').layout).toEqual({ x: 0, y: 0, w: 12, h: 5 });
    expect(panel(api, 'http-response-time').layout).toEqual({ x: 0, y: 5, w: 6, h: 4 });
    // A service nothing maps keeps its latency alone.
    expect(find(autoDashboards(inventory, mapping()), 'auto-service-database').panels).toHaveLength(1);
  });

  it('ignores a mapped id the inventory does not have, even one named like an Object property', () => {
    const list = autoDashboards(inventory, mapping({ devices: { 'dc9-sw': { agentHost: '198.51.100.1' } } }));
    expect(list.map((d) => d.id)).not.toContain('auto-device-dc9-sw');
    // The PDU's id is `constructor`: it is not mapped, so it has no dashboard of its own.
    expect(list.map((d) => d.id)).not.toContain('auto-device-constructor');
  });

  it('names in each built-in summary the devices and services it is about', async () => {
    const store = await DuckDbStateStore.open(':memory:');
    try {
      const clock = { now: () => 0, setTimeout: () => () => undefined };
      const service = new DashboardsService(inventory, store, store, clock, mapping());
      const list = await service.list();
      expect(list.find((d) => d.id === 'auto-device-dc1-ups-1')?.subjects).toEqual(['dc1-ups-1']);
      expect(list.find((d) => d.id === 'auto-service-api-gateway')?.subjects).toEqual(['dc1-api', 'dc2-api']);
      expect(list.find((d) => d.id === 'auto-zone-dc1')?.subjects).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('telegrafMetricUnit', () => {
  it('knows the units of Telegraf’s fields under the site’s measurement names', () => {
    const unit = telegrafMetricUnit(mapping({ measurements: { ping: 'icmp' } }));
    expect(unit('http_response', 'response_time')).toBe('seconds');
    expect(unit('icmp', 'average_response_ms')).toBe('milliseconds');
    expect(unit('ping', 'average_response_ms')).toBeNull();
    expect(unit('cpu', 'usage_idle')).toBe('percent');
    expect(unit('mem', 'used_percent')).toBe('percent');
    expect(unit('interface', 'ifHCInOctets')).toBeNull();
  });
});
