/**
 * Dashboards Vigie builds from the inventory: one per zone (power, environment, network,
 * services) and one per platform service across the zones that host it. They read the data the
 * collectors write (measurement `vigie`, tags source/zone/kind) and are read-only; a person who
 * wants to change one saves a copy.
 */
import {
  DASHBOARD_SCHEMA_VERSION,
  DEFAULT_DASHBOARD_TIME,
  type Dashboard,
  type Panel,
  type PanelSeries,
} from '../../../../shared/domain/dashboard';
import type { Inventory } from '../../config/schema';
import { VIGIE_MEASUREMENT } from '../../ports/metric-store';

export const AUTO_PREFIX = 'auto-';

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

export function autoDashboards(inventory: Inventory): Dashboard[] {
  const out: Dashboard[] = [];
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
      schemaVersion: DASHBOARD_SCHEMA_VERSION,
      id: `${AUTO_PREFIX}zone-${zone.id}`.slice(0, 63),
      title: zone.name,
      description: '',
      time: DEFAULT_DASHBOARD_TIME,
      refreshSeconds: 30,
      panels,
    });
  }
  const byName = new Map<string, Inventory['services']>();
  for (const s of inventory.services) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  for (const [name, instances] of byName) {
    out.push({
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
      ],
    });
  }
  return out;
}
