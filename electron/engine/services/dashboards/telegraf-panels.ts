/**
 * Panels of a site's Telegraf data for the built-in dashboards of the devices and services that
 * `metrics.telegraf` maps, read the way Telegraf writes them (its default field names, the tags
 * each input sets) and shown the way Vigie shows its own readings: counters as bits per second,
 * CPU as busy rather than idle, response times in milliseconds.
 *
 * Fields, as the inputs write them:
 * - inputs.snmp, a table of IF-MIB ifXTable rows: ifHCInOctets, ifHCOutOctets (Counter64),
 *   one series per interface tag; top-level `[[inputs.snmp.field]]`: as the site names them.
 * - inputs.http_response (tag server): response_time (s), result_code (0 = success),
 *   http_response_code.
 * - inputs.ping (tag url): average_response_ms, percent_packet_loss, result_code.
 * - inputs.cpu (tags host, cpu; cpu-total is the whole machine): usage_idle (%).
 * - inputs.mem (tag host): used_percent.
 * https://github.com/influxdata/telegraf/tree/master/plugins/inputs
 *
 * When a mapped series is absent from the store, its panel asks for it anyway and says "no data":
 * a mapping that matches nothing must be visible, never silently dropped.
 */
import type { PanelSeries } from '../../../../shared/domain/dashboard';
import { seriesTransformSchema, type SeriesTransformInput } from '../../../../shared/domain/series-transform';
import {
  telegrafSourceId,
  type TelegrafDevice,
  type TelegrafMapping,
  type TelegrafService,
} from '../../config/metrics-schema';
import type { DeviceDef, ServiceDef } from '../../config/schema';

/** A panel before it is placed on the grid. */
export interface PanelSpec {
  readonly id: string;
  readonly title: string;
  readonly series: PanelSeries[];
}

/** A panel holds at most 12 series. */
const MAX_SERIES = 12;

/** The `cpu` tag of inputs.cpu's whole-machine series. */
const CPU_TOTAL = 'cpu-total';

function transform(input: SeriesTransformInput): NonNullable<PanelSeries['transform']> {
  return seriesTransformSchema.parse(input);
}

function where(tags: Record<string, string>): PanelSeries['where'] {
  return Object.entries(tags).map(([key, value]) => ({ key, op: '=' as const, value }));
}

function telegrafSeries(
  mapping: TelegrafMapping,
  measurement: string,
  field: string,
  tags: Record<string, string>,
  options: Partial<Pick<PanelSeries, 'aggregation' | 'groupBy' | 'label' | 'transform'>> = {},
): PanelSeries {
  return {
    source: telegrafSourceId(mapping),
    measurement,
    field,
    where: where(tags),
    groupBy: options.groupBy ?? [],
    aggregation: options.aggregation ?? 'mean',
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.transform ? { transform: options.transform } : {}),
  };
}

/** Octets counters as bits per second. */
const BITS_PER_SECOND = transform({ rate: true, scale: 8, unit: 'bitsPerSecond' });

function interfacePanels(mapping: TelegrafMapping, device: TelegrafDevice): PanelSpec[] {
  const agent = { [mapping.agentHostTag]: device.agentHost };
  const tag = mapping.interfaceTag;
  const directions = [
    ['interface-in', 'Inbound traffic', 'ifHCInOctets'],
    ['interface-out', 'Outbound traffic', 'ifHCOutOctets'],
  ] as const;
  return directions.map(([id, title, field]) => ({
    id,
    title: `${title} (Telegraf)`,
    series:
      device.interfaces.length > 0
        ? device.interfaces.slice(0, MAX_SERIES).map((name) =>
            telegrafSeries(
              mapping,
              mapping.measurements.interface,
              field,
              { ...agent, [tag]: name },
              {
                aggregation: 'last',
                label: name,
                transform: BITS_PER_SECOND,
              },
            ),
          )
        : // Every interface of the agent, a line each (named by the interface tag).
          [
            telegrafSeries(mapping, mapping.measurements.interface, field, agent, {
              aggregation: 'last',
              groupBy: [tag],
              label: title.toLowerCase(),
              transform: BITS_PER_SECOND,
            }),
          ],
  }));
}

/** Panels of a mapped device's SNMP data as Telegraf collected it. */
export function telegrafDevicePanels(
  device: DeviceDef,
  mapped: TelegrafDevice,
  mapping: TelegrafMapping,
): PanelSpec[] {
  const panels: PanelSpec[] = [];
  if (device.kind === 'switch' || mapped.interfaces.length > 0)
    panels.push(...interfacePanels(mapping, mapped));
  mapped.snmpFields.forEach((field, i) =>
    panels.push({
      // Panel ids are lower-case; the index keeps `ifInOctets` and `ifinoctets` apart.
      id: `snmp-${i + 1}-${field
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')}`.slice(0, 63),
      title: `${field} (Telegraf)`,
      series: [
        telegrafSeries(
          mapping,
          mapping.measurements.snmp,
          field,
          { [mapping.agentHostTag]: mapped.agentHost },
          { label: device.name },
        ),
      ],
    }),
  );
  return panels;
}

type Mapped = readonly { readonly service: ServiceDef; readonly mapped: TelegrafService }[];

/** One series per instance that has `pick`, labelled with its zone (the instances of a service). */
function perInstance(
  instances: Mapped,
  pick: (mapped: TelegrafService) => string | undefined,
  build: (value: string) => PanelSeries,
): PanelSeries[] {
  return instances
    .flatMap(({ service, mapped }) => {
      const value = pick(mapped);
      return value === undefined ? [] : [{ ...build(value), label: service.zone }];
    })
    .slice(0, MAX_SERIES);
}

/** One series per machine that runs an instance, labelled with the machine's host name. */
function perHost(instances: Mapped, build: (host: string) => PanelSeries): PanelSeries[] {
  const hosts = [...new Set(instances.flatMap(({ mapped }) => mapped.hosts))];
  return hosts.slice(0, MAX_SERIES).map((host) => ({ ...build(host), label: host }));
}

/**
 * Panels of a service's health checks and machines as Telegraf collected them, across the
 * instances (zones) that the mapping names.
 */
export function telegrafServicePanels(instances: Mapped, mapping: TelegrafMapping): PanelSpec[] {
  const m = mapping.measurements;
  const candidates: PanelSpec[] = [
    {
      id: 'http-response-time',
      title: 'Response time (Telegraf http_response)',
      series: perInstance(
        instances,
        (s) => s.server,
        (server) =>
          telegrafSeries(
            mapping,
            m.httpResponse,
            'response_time',
            { server },
            {
              transform: transform({ scale: 1000, unit: 'milliseconds' }),
            },
          ),
      ),
    },
    {
      id: 'http-result',
      title: 'HTTP check result, 0 = success (Telegraf http_response)',
      series: perInstance(
        instances,
        (s) => s.server,
        (server) =>
          telegrafSeries(mapping, m.httpResponse, 'result_code', { server }, { aggregation: 'max' }),
      ),
    },
    {
      id: 'ping-rtt',
      title: 'Ping round trip (Telegraf ping)',
      series: perInstance(
        instances,
        (s) => s.pingUrl,
        (url) =>
          telegrafSeries(
            mapping,
            m.ping,
            'average_response_ms',
            { url },
            {
              transform: transform({ unit: 'milliseconds' }),
            },
          ),
      ),
    },
    {
      id: 'ping-loss',
      title: 'Ping packet loss (Telegraf ping)',
      series: perInstance(
        instances,
        (s) => s.pingUrl,
        (url) =>
          telegrafSeries(
            mapping,
            m.ping,
            'percent_packet_loss',
            { url },
            {
              aggregation: 'max',
              transform: transform({ unit: 'percent' }),
            },
          ),
      ),
    },
    {
      id: 'cpu-busy',
      title: 'CPU busy (Telegraf cpu)',
      series: perHost(instances, (host) =>
        telegrafSeries(
          mapping,
          m.cpu,
          'usage_idle',
          { host, cpu: CPU_TOTAL },
          {
            // Busy is what is not idle.
            transform: transform({ scale: -1, offset: 100, unit: 'percent' }),
          },
        ),
      ),
    },
    {
      id: 'memory-used',
      title: 'Memory used (Telegraf mem)',
      series: perHost(instances, (host) =>
        telegrafSeries(
          mapping,
          m.mem,
          'used_percent',
          { host },
          { transform: transform({ unit: 'percent' }) },
        ),
      ),
    },
  ];
  return candidates.filter((p) => p.series.length > 0);
}

/** Units of Telegraf's fields under its default measurement names (the explorer's charts). */
export function telegrafMetricUnit(
  mapping: TelegrafMapping,
): (measurement: string, field: string) => string | null {
  const m = mapping.measurements;
  const units = new Map<string, string>([
    [`${m.httpResponse}.response_time`, 'seconds'],
    [`${m.ping}.average_response_ms`, 'milliseconds'],
    [`${m.ping}.minimum_response_ms`, 'milliseconds'],
    [`${m.ping}.maximum_response_ms`, 'milliseconds'],
    [`${m.ping}.standard_deviation_ms`, 'milliseconds'],
    [`${m.ping}.percent_packet_loss`, 'percent'],
    [`${m.mem}.used_percent`, 'percent'],
    [`${m.mem}.available_percent`, 'percent'],
  ]);
  return (measurement, field) =>
    units.get(`${measurement}.${field}`) ??
    (measurement === m.cpu && field.startsWith('usage_') ? 'percent' : null);
}
