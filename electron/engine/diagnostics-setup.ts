/**
 * Wires SSH diagnostics (issue 4) for the engine: one ssh2 RemoteShell, one HostKeyTrust keeping
 * pins and audit entries in the state store, one DiagnosticsService over the inventory's devices
 * that have SSH settings, and the `diagnostics.*` handlers that turn its results into contract
 * data (bigint counters as decimal strings, outputs clipped to DIAGNOSTIC_OUTPUT_LIMIT).
 */
import {
  DIAGNOSTIC_OUTPUT_LIMIT,
  VigieError,
  type DiagnosticReadingView,
  type DiagnosticRunResultView,
  type HostKeyChangedView,
  type HostKeyStateView,
} from '../../shared/api';
import { Ssh2RemoteShell } from './adapters/ssh/ssh2-remote-shell';
import type { CallContext, Handlers } from './api/dispatch';
import type { Inventory } from './inventory/schema';
import type { AuditLog } from './ports/audit-log';
import type { Clock } from './ports/clock';
import type { MetricPoint, MetricSink } from './ports/metric-store';
import type { HostKeyPinStore } from './ports/host-key-pins';
import type { Logger } from './ports/logger';
import type { SecretResolver } from './ports/secret-resolver';
import {
  DiagnosticsService,
  endpointOf,
  type DiagnosticRunResult,
  type DiagnosticsDevice,
} from './services/diagnostics/diagnostics-service';
import { HostKeyTrust, type Actor, type HostKeyState } from './services/diagnostics/host-key-trust';
import type { DiagnosticReading } from './services/diagnostics/parsers';

export type DiagnosticsChannel =
  | 'diagnostics.templates'
  | 'diagnostics.hostKey'
  | 'diagnostics.probeHostKey'
  | 'diagnostics.confirmHostKey'
  | 'diagnostics.run';

export interface DiagnosticsSetup {
  readonly service: DiagnosticsService;
  readonly handlers: Pick<Handlers, DiagnosticsChannel>;
  /** Listens for changed host keys (the `diagnostics.hostKeyChanged` event); returns the unsubscribe. */
  onHostKeyChanged(listener: (event: HostKeyChangedView) => void): () => void;
  /** Stops runs and probes in flight (they fail with ABORTED). */
  close(): void;
}

const actorOf = (ctx: CallContext): Actor => ({ seat: ctx.actor, role: ctx.role });

function clip(text: string): { text: string; clipped: boolean } {
  return text.length > DIAGNOSTIC_OUTPUT_LIMIT
    ? { text: text.slice(0, DIAGNOSTIC_OUTPUT_LIMIT), clipped: true }
    : { text, clipped: false };
}

function readingView(r: DiagnosticReading): DiagnosticReadingView {
  return r.kind === 'counter'
    ? { kind: 'counter', name: r.name, labels: { ...r.labels }, value: r.value.toString(), unit: r.unit }
    : { kind: 'gauge', name: r.name, labels: { ...r.labels }, value: r.value, unit: r.unit };
}

/** The measurement parsed diagnostic readings are written to. */
export const DIAGNOSTICS_MEASUREMENT = 'diagnostics';

/**
 * One point per row of readings (same labels): gauges as they are, counters as numbers (a float
 * loses exactness past 2^53 bytes; charts read them as rates, where that does not show).
 */
export function diagnosticPoints(
  deviceId: string,
  zone: string,
  templateId: string,
  readings: readonly DiagnosticReading[],
  at: number,
): MetricPoint[] {
  const rows = new Map<string, MetricPoint & { fields: Record<string, number | null> }>();
  for (const r of readings) {
    const key = JSON.stringify(Object.entries(r.labels).sort());
    let row = rows.get(key);
    if (!row) {
      row = {
        measurement: DIAGNOSTICS_MEASUREMENT,
        tags: { ...r.labels, device: deviceId, zone, template: templateId },
        fields: {},
        time: at,
      };
      rows.set(key, row);
    }
    row.fields[r.name] = typeof r.value === 'bigint' ? Number(r.value) : r.value;
  }
  return [...rows.values()];
}

export function runResultView(r: DiagnosticRunResult): DiagnosticRunResultView {
  const base = {
    runId: r.runId,
    deviceId: r.deviceId,
    templateId: r.templateId,
    commandLine: r.commandLine,
    startedAt: r.startedAt,
  };
  if (r.status === 'refused') {
    const presented = {
      keyType: r.presented.type,
      fingerprint: r.presented.fingerprint,
      publicKey: r.presented.publicKey,
    };
    return r.reason === 'HOST_KEY_CHANGED'
      ? { ...base, status: 'refused', reason: r.reason, presented, pinned: { ...r.pinned } }
      : { ...base, status: 'refused', reason: r.reason, presented, pinned: null };
  }
  const stdout = clip(r.stdout);
  const stderr = clip(r.stderr);
  return {
    ...base,
    status: 'completed',
    exitCode: r.exitCode,
    signal: r.signal,
    stdout: stdout.text,
    stderr: stderr.text,
    truncated: r.truncated,
    clipped: stdout.clipped || stderr.clipped,
    durationMs: r.durationMs,
    hostKeyFingerprint: r.hostKeyFingerprint,
    readings: r.readings.map(readingView),
    parseError: r.parseError,
  };
}

export function hostKeyStateView(s: HostKeyState, endpoint: string): HostKeyStateView {
  const { pinned, offered } = s;
  return {
    deviceId: s.deviceId,
    state:
      pinned === null
        ? offered === null
          ? 'unknown'
          : 'unconfirmed'
        : offered === null
          ? 'pinned'
          : 'changed',
    endpoint,
    pinned:
      pinned === null
        ? null
        : {
            keyType: pinned.keyType,
            fingerprint: pinned.fingerprint,
            endpoint: pinned.endpoint,
            pinnedAt: pinned.pinnedAt,
            pinnedBy: pinned.pinnedBy,
          },
    presented:
      offered === null
        ? null
        : {
            keyType: offered.key.type,
            fingerprint: offered.key.fingerprint,
            publicKey: offered.key.publicKey,
            endpoint: offered.endpoint,
            at: offered.at,
          },
  };
}

export function setUpDiagnostics(options: {
  readonly inventory: Inventory;
  readonly store: HostKeyPinStore & AuditLog;
  readonly secrets: SecretResolver;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the readings parsed from a run's output go (measurement `diagnostics`). */
  readonly metrics?: MetricSink;
}): DiagnosticsSetup {
  const { inventory, store, secrets, clock, logger, metrics } = options;
  const devices: DiagnosticsDevice[] = inventory.devices.map((d) => ({
    id: d.id,
    address: d.address,
    ssh: d.ssh,
  }));
  const byId = new Map(devices.map((d) => [d.id, d]));
  const trust = new HostKeyTrust(store, store, clock, logger.child({ module: 'host-keys' }));
  let service: DiagnosticsService;
  try {
    service = new DiagnosticsService(devices, {
      shell: new Ssh2RemoteShell(),
      trust,
      secrets,
      audit: store,
      clock,
      logger: logger.child({ module: 'diagnostics' }),
    });
  } catch (err: unknown) {
    // A device allow-listing a template that does not exist: a configuration error.
    if (err instanceof RangeError)
      throw new VigieError('VALIDATION', `diagnostics: ${err.message}`, { cause: err });
    throw err;
  }
  const stopping = new AbortController();

  /** The device's SSH settings, or NOT_FOUND naming why (unknown device, no SSH). */
  const sshOf = (deviceId: string): NonNullable<DiagnosticsDevice['ssh']> & { endpoint: string } => {
    const device = byId.get(deviceId);
    if (device === undefined) throw new VigieError('NOT_FOUND', `no device "${deviceId}"`);
    if (device.ssh === undefined)
      throw new VigieError('NOT_FOUND', `device "${deviceId}" has no SSH access configured`);
    return { ...device.ssh, endpoint: endpointOf(device) };
  };

  const handlers: Pick<Handlers, DiagnosticsChannel> = {
    'diagnostics.templates': (req) => {
      const device = byId.get(req.deviceId);
      if (device === undefined)
        return Promise.reject(new VigieError('NOT_FOUND', `no device "${req.deviceId}"`));
      return Promise.resolve({
        deviceId: device.id,
        ssh: device.ssh ? { endpoint: endpointOf(device), user: device.ssh.user } : null,
        templates: service.templatesFor(device.id).map((t) => ({
          ...t,
          params: t.params.map((p) => ({
            ...p,
            type: p.type.kind === 'enum' ? { ...p.type, values: [...p.type.values] } : { ...p.type },
          })),
        })),
      });
    },
    'diagnostics.hostKey': async (req) => {
      const { endpoint } = sshOf(req.deviceId);
      return hostKeyStateView(await service.hostKeyState(req.deviceId), endpoint);
    },
    'diagnostics.probeHostKey': async (req) => {
      const { endpoint } = sshOf(req.deviceId);
      return hostKeyStateView(await service.probeHostKey(req.deviceId, stopping.signal), endpoint);
    },
    'diagnostics.confirmHostKey': async (req, ctx) => {
      const { endpoint } = sshOf(req.deviceId);
      await service.confirmHostKey(req.deviceId, req.fingerprint, actorOf(ctx));
      return hostKeyStateView(await service.hostKeyState(req.deviceId), endpoint);
    },
    'diagnostics.run': async (req, ctx) => {
      const ssh = sshOf(req.deviceId);
      // The device's allow-list is part of what a valid request is: refused like a bad field.
      if (!ssh.templates.includes(req.templateId))
        throw new VigieError(
          'VALIDATION',
          `template "${req.templateId}" is not allowed on "${req.deviceId}"`,
          {
            issues: [
              {
                path: 'templateId',
                message: `not allowed on this device; allowed: ${ssh.templates.join(', ') || 'none'}`,
              },
            ],
          },
        );
      const result = await service.run(
        { deviceId: req.deviceId, templateId: req.templateId, params: req.params },
        actorOf(ctx),
        { signal: stopping.signal },
      );
      if (metrics && result.status === 'completed' && result.readings.length > 0) {
        const zone = inventory.devices.find((d) => d.id === req.deviceId)?.zone ?? '';
        // The history is a convenience: a full metrics queue must not fail the run the operator sees.
        await metrics
          .enqueue(diagnosticPoints(req.deviceId, zone, req.templateId, result.readings, result.startedAt))
          .catch((err: unknown) =>
            logger.warn({ err }, 'diagnostic readings not written to the metric store'),
          );
      }
      return runResultView(result);
    },
  };

  return {
    service,
    handlers,
    onHostKeyChanged: (listener) =>
      trust.onHostKeyChanged((e) =>
        listener({
          deviceId: e.deviceId,
          endpoint: e.endpoint,
          pinned: { ...e.pinned },
          presented: {
            keyType: e.presented.type,
            fingerprint: e.presented.fingerprint,
            publicKey: e.presented.publicKey,
          },
          at: e.at,
        }),
      ),
    close: () => stopping.abort(),
  };
}
