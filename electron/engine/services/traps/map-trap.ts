/**
 * From a received notification to a trap event: kind, severity, instance, dedup key and cleared
 * keys, read from the catalog (trap-catalog.ts). Pure: the id, the time and the device are given.
 */
import type { TrapEvent, TrapKind, TrapSeverity, TrapVarbind } from '../../../../shared/domain/trap-event';
import { TRAP_EVENT_MAX_VARBINDS, trapEventKey, trapKeyOwner } from '../../../../shared/domain/trap-event';
import { snmpValueText, type SnmpValue, type SnmpVarbind } from '../../ports/snmp-client';
import type { ReceivedTrap } from '../../ports/trap-receiver';
import type { AttributeSpec, InstanceSource, SeverityRule, TrapDefinition } from './trap-catalog';
import { trapDefinition } from './trap-catalog';

export interface TrapContext {
  readonly id: string;
  /** Reception time, epoch ms. */
  readonly at: number;
  /** The inventory device the trap was attributed to; null: unknown source. */
  readonly deviceId: string | null;
}

/** An attribute read from a varbind. */
interface Found {
  /** The value as text, the form labels, severities and instances are keyed by. */
  readonly raw: string;
  /** The OID's instance suffix (`3` for ifIndex.3, `0` for a scalar). */
  readonly index: string;
  /** What the event shows: the label, or the value. */
  readonly shown: string | number;
}

const MAX_INSTANCE = 2_000;

export function mapTrap(trap: ReceivedTrap, context: TrapContext): TrapEvent {
  const owner = trapKeyOwner(context.deviceId, trap.source.address);
  const kept = trap.varbinds.slice(0, TRAP_EVENT_MAX_VARBINDS);
  const common = {
    id: context.id,
    at: context.at,
    deviceId: context.deviceId,
    source: { address: trap.source.address, port: trap.source.port },
    agentAddress: trap.agentAddress,
    version: trap.version,
    pdu: trap.pdu,
    user: trap.user,
    engineId: trap.engineId,
    trapOid: trap.trapOid,
    upTime: trap.upTime,
    varbinds: kept.map(plainVarbind),
  };
  const dropped = trap.varbinds.length - kept.length;
  const extra: Record<string, number> = dropped > 0 ? { varbindsDropped: dropped } : {};

  const definition = trapDefinition(trap.trapOid);
  if (definition === undefined) {
    // Kept with its OID: the operator sees that something was sent, and what.
    const instance = trap.trapOid.slice(0, MAX_INSTANCE);
    return {
      ...common,
      name: '',
      kind: 'unknown',
      severity: 'indeterminate',
      instance,
      key: trapEventKey(owner, 'unknown', instance),
      clears: [],
      attributes: extra,
    };
  }

  const found = readAttributes(definition.attributes, trap.varbinds);
  const instance = instanceOf(definition.instance, found).slice(0, MAX_INSTANCE);
  const attributes: Record<string, string | number> = { ...extra, ...definition.fixedAttributes };
  for (const [name, attribute] of found) attributes[name] = attribute.shown;
  return {
    ...common,
    name: definition.name,
    kind: definition.kind,
    severity: severityOf(definition.severity, found),
    instance,
    key: trapEventKey(owner, definition.kind, instance),
    clears: clearedKeys(definition, owner, instance, found),
    attributes,
  };
}

function readAttributes(
  specs: readonly AttributeSpec[],
  varbinds: readonly SnmpVarbind[],
): Map<string, Found> {
  const found = new Map<string, Found>();
  for (const spec of specs) {
    const prefix = `${spec.oid}.`;
    for (const vb of varbinds) {
      if (!vb.oid.startsWith(prefix)) continue;
      const raw = snmpValueText(vb.value);
      if (raw === null) continue;
      found.set(spec.name, {
        raw,
        index: vb.oid.slice(prefix.length),
        shown: spec.labels?.[raw] ?? shownValue(vb.value, raw),
      });
      break;
    }
  }
  return found;
}

function instanceOf(sources: readonly InstanceSource[], found: ReadonlyMap<string, Found>): string {
  for (const source of sources) {
    if (source.from === 'fixed') return source.value;
    const attribute = found.get(source.attribute);
    if (attribute === undefined) continue;
    if (source.from === 'index') return attribute.index;
    if (attribute.raw !== '') return attribute.raw;
  }
  return '';
}

function severityOf(rule: SeverityRule, found: ReadonlyMap<string, Found>): TrapSeverity {
  if (typeof rule === 'string') return rule;
  const raw = found.get(rule.attribute)?.raw;
  return (raw === undefined ? undefined : rule.byValue[raw]) ?? rule.otherwise;
}

function clearedKeys(
  definition: TrapDefinition,
  owner: string,
  instance: string,
  found: ReadonlyMap<string, Found>,
): string[] {
  const keys: string[] = [];
  for (const rule of definition.clears) {
    if (rule.when !== undefined && found.get(rule.when.attribute)?.raw !== rule.when.equals) continue;
    keys.push(trapEventKey(owner, rule.kind satisfies TrapKind, rule.instance ?? instance));
  }
  return keys;
}

function shownValue(value: SnmpValue, raw: string): string | number {
  switch (value.type) {
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return value.value;
    case 'counter64':
    case 'octets':
    case 'oid':
    case 'ipaddress':
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return raw;
  }
}

function plainVarbind(vb: SnmpVarbind): TrapVarbind {
  const { value } = vb;
  switch (value.type) {
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return { oid: vb.oid, type: value.type, value: value.value };
    case 'counter64':
      // A decimal string: exact above 2^53, and JSON has no bigint.
      return { oid: vb.oid, type: value.type, value: value.value.toString() };
    case 'octets':
    case 'oid':
    case 'ipaddress':
      return { oid: vb.oid, type: value.type, value: value.value };
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return { oid: vb.oid, type: value.type, value: null };
  }
}
