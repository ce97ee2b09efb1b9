/**
 * Dashboards Vigie builds from the inventory: one per zone (power, environment, network,
 * services) and one per platform service across the zones that host it. They read the data the
 * collectors write (measurement `vigie`, tags source/zone/kind) and are read-only; a person who
 * wants to change one saves a copy.
 *
 * With a Telegraf mapping (`metrics.telegraf`), each mapped device gets its own dashboard (what
 * Vigie collects from it beside what Telegraf collects), and each service's dashboard gains the
 * Telegraf panels of its mapped instances (see telegraf-panels.ts).
 */
import {
  DASHBOARD_SCHEMA_VERSION,
  DEFAULT_DASHBOARD_TIME,
  type Dashboard,
  type Panel,
  type PanelSeries,
} from '../../../../shared/domain/dashboard';
import type { TelegrafMapping } from '../../config/metrics-schema';
import type { DeviceDef, DeviceKind, Inventory } from '../../config/schema';
import { VIGIE_MEASUREMENT } from '../../ports/metric-store';
import { telegrafDevicePanels, telegrafServicePanels, type PanelSpec } from './telegraf-panels';

export const AUTO_PREFIX = 'auto-';

/** A built-in dashboard and the ids of the devices and services it is about. */
export interface AutoDashboard {
  readonly dashboard: Dashboard;
  readonly subjects: readonly string[];
}

function series(field: string, where: Record<string, string>, groupBy: string[] = ['source']): PanelSeries {
  return {
    source: 'main',
    measurement: VIGIE_MEASUREMENT,
    field,
    where: Object.entries(where).map(([key, value]) => ({ key, op: '=' as const, value })),
    groupBy,
    aggregation: 'mean',
  };
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'service'
  );
}

/** A record's own entry (an id such as `constructor` must not find Object.prototype's). */
function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Panels placed two by two, each half the width. */
function place(specs: readonly PanelSpec[], fromIndex = 0): Panel[] {
  return specs.map((spec, k) => {
    const i = fromIndex + k;
    return {
      id: spec.id,
      title: spec.title,
      kind: 'timeseries' as const,
      series: spec.series,
      layout: { x: (i % 2) * 6, y: Math.floor(i / 2) * 4, w: 6, h: 4 },
    };
  });
}

/** What Vigie itself collects from one device, by kind. */
function collectedPanels(device: DeviceDef): PanelSpec[] {
  const own = (field: string, label?: string): PanelSeries => ({
    ...series(field, { source: device.id }, []),
    ...(label ? { label } : {}),
  });
  const byKind: Record<DeviceKind, PanelSpec[]> = {
    ups: [
      { id: 'battery-charge', title: 'Battery charge', series: [own('batteryCharge')] },
      { id: 'output-load', title: 'Output load', series: [own('outputLoad')] },
    ],
    pdu: [{ id: 'phase-load', title: 'Phase load', series: [own('phaseLoad')] }],
    sensor: [
      { id: 'temperature', title: 'Temperature', series: [own('temperature')] },
      { id: 'humidity', title: 'Humidity', series: [own('humidity')] },
    ],
    switch: [
      {
        id: 'uplink-traffic',
        title: 'Uplink traffic',
        series: [own('inBitsPerSecond', 'in'), own('outBitsPerSecond', 'out')],
      },
    ],
  };
  return byKind[device.kind];
}

export function autoDashboards(inventory: Inventory, telegraf?: TelegrafMapping): Dashboard[] {
  return autoDashboardEntries(inventory, telegraf).map((e) => e.dashboard);
}

export function autoDashboardEntries(inventory: Inventory, telegraf?: TelegrafMapping): AutoDashboard[] {
  const out: AutoDashboard[] = [];
  for (const zone of inventory.zones) {
    const kinds = new Set([
      ...inventory.devices.filter((d) => d.zone === zone.id).map((d) => d.kind),
      ...(inventory.services.some((s) => s.zone === zone.id) ? (['service'] as const) : []),
    ]);
    const candidates: [string, string, PanelSeries[]][] = [
      ['ups', 'UPS battery charge', [series('batteryCharge', { zone: zone.id, kind: 'ups' })]],
      ['ups', 'UPS output load', [series('outputLoad', { zone: zone.id, kind: 'ups' })]],
      ['sensor', 'Room temperature', [series('temperature', { zone: zone.id, kind: 'sensor' })]],
      ['sensor', 'Room humidity', [series('humidity', { zone: zone.id, kind: 'sensor' })]],
      ['pdu', 'PDU phase load', [series('phaseLoad', { zone: zone.id, kind: 'pdu' })]],
      [
        'switch',
        'Uplink traffic',
        [
          { ...series('inBitsPerSecond', { zone: zone.id, kind: 'switch' }), label: 'in' },
          { ...series('outBitsPerSecond', { zone: zone.id, kind: 'switch' }), label: 'out' },
        ],
      ],
      ['service', 'Service latency', [series('latency', { zone: zone.id, kind: 'service' })]],
    ];
    const panels: Panel[] = candidates
      .filter(([kind]) => kinds.has(kind as never))
      .map(([, title, s], i) => ({
        id: slug(title),
        title,
        kind: 'timeseries' as const,
        series: s,
        layout: { x: (i % 2) * 6, y: Math.floor(i / 2) * 4, w: 6, h: 4 },
      }));
    if (panels.length === 0) continue;
    out.push({
      dashboard: {
        schemaVersion: DASHBOARD_SCHEMA_VERSION,
        id: `${AUTO_PREFIX}zone-${zone.id}`.slice(0, 63),
        title: zone.name,
        description: '',
        time: DEFAULT_DASHBOARD_TIME,
        refreshSeconds: 30,
        panels,
      },
      subjects: [],
    });
  }
  for (const device of inventory.devices) {
    const mapped = telegraf ? ownEntry(telegraf.devices, device.id) : undefined;
    if (!telegraf || !mapped) continue;
    const zone = inventory.zones.find((z) => z.id === device.zone);
    out.push({
      dashboard: {
        schemaVersion: DASHBOARD_SCHEMA_VERSION,
        id: `${AUTO_PREFIX}device-${device.id}`.slice(0, 63),
        title: zone ? `${device.name} (${zone.name})` : device.name,
        description: `What Vigie collects from ${device.name}, and what Telegraf collects from agent ${mapped.agentHost}.`,
        time: DEFAULT_DASHBOARD_TIME,
        refreshSeconds: 30,
        panels: place([...collectedPanels(device), ...telegrafDevicePanels(device, mapped, telegraf)]),
      },
      subjects: [device.id],
    });
  }
  const byName = new Map<string, Inventory['services']>();
  for (const s of inventory.services) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  for (const [name, instances] of byName) {
    const mapped = telegraf
      ? instances.flatMap((service) => {
          const m = ownEntry(telegraf.services, service.id);
          return m ? [{ service, mapped: m }] : [];
        })
      : [];
    const telegrafPanels = telegraf ? telegrafServicePanels(mapped, telegraf) : [];
    out.push({
      dashboard: {
        schemaVersion: DASHBOARD_SCHEMA_VERSION,
        id: `${AUTO_PREFIX}service-${slug(name)}`.slice(0, 63),
        title: name,
        description: '',
        time: DEFAULT_DASHBOARD_TIME,
        refreshSeconds: 30,
        panels: [
          {
            id: 'latency',
            title: 'Latency per zone',
            kind: 'timeseries',
            series: instances
              .map((s) => ({ ...series('latency', { source: s.id }, []), label: s.zone }))
              .slice(0, 12),
            layout: { x: 0, y: 0, w: 12, h: 5 },
          },
          // Below the full-width latency panel (5 rows high), two by two.
          ...place(telegrafPanels).map((p) => ({ ...p, layout: { ...p.layout, y: p.layout.y + 5 } })),
        ],
      },
      subjects: instances.map((s) => s.id),
    });
  }
  return out;
}
