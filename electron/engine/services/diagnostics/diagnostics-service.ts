/**
 * SSH diagnostics (issue 4): an operator runs an allow-listed command template on a device and
 * sees its output, optionally parsed into readings. No free-form command exists anywhere: a
 * request names a template the device allow-lists and gives parameter values, which the template's
 * schema checks. Host keys are pinned (HostKeyTrust); every run is audited before it starts (who,
 * device, template, parameters, the exact command line; never the credential).
 */
import { randomUUID } from 'node:crypto';
import { VigieError } from '../../../../shared/api';
import type { AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import type { HostKeyPin } from '../../ports/host-key-pins';
import type { Logger } from '../../ports/logger';
import {
  HostKeyRefusedError,
  posixCommandLine,
  type OutputChunk,
  type PresentedHostKey,
  type RemoteShell,
  type RemoteTarget,
  type SshCredential,
} from '../../ports/remote-shell';
import { UpstreamError } from '../../ports/upstream-error';
import type { Actor, HostKeyState, HostKeyTrust } from './host-key-trust';
import { parseOutput, type DiagnosticReading } from './parsers';
import {
  BUILT_IN_TEMPLATES,
  checkTemplate,
  describeTemplate,
  renderTemplate,
  type CommandTemplate,
  type TemplateDescription,
} from './templates';

/** What the service needs of a device (the inventory's device: id, address, ssh settings). */
export interface DiagnosticsDevice {
  readonly id: string;
  /** Management address (host name or IP). */
  readonly address: string;
  readonly ssh?:
    | {
        readonly port: number;
        readonly user: string;
        /** Secret reference of the private key (preferred when both are given). */
        readonly keySecret?: string | undefined;
        readonly passwordSecret?: string | undefined;
        /** Ids of the templates this device allows. */
        readonly templates: readonly string[];
      }
    | undefined;
}

/** Resolves secret references (`env:NAME`, `file:/path`); the engine's SecretResolver fits. */
export interface SecretSource {
  resolve(ref: string): Promise<string>;
}

export interface DiagnosticsServiceOptions {
  /** The catalogue; default BUILT_IN_TEMPLATES. */
  readonly templates?: readonly CommandTemplate[];
  /** Runs at once on one device, beyond which a run is refused (CONFLICT); 2. */
  readonly maxConcurrentRunsPerDevice?: number;
  readonly connectTimeoutMs?: number;
  readonly readyTimeoutMs?: number;
}

export interface DiagnosticRunRequest {
  readonly deviceId: string;
  readonly templateId: string;
  /** Parameter values, checked against the template's schema (unknown keys refused). */
  readonly params?: unknown;
  /** Client-chosen id to match streamed output with the request; default a UUID. */
  readonly runId?: string;
}

/** A piece of a run's output as it arrives, for the console. */
export interface DiagnosticOutput extends OutputChunk {
  readonly runId: string;
  readonly deviceId: string;
}

interface RunBase {
  readonly runId: string;
  readonly deviceId: string;
  readonly templateId: string;
  /** The exact line sent to the device's shell. */
  readonly commandLine: string;
  /** Epoch ms. */
  readonly startedAt: number;
}

export type DiagnosticRunResult =
  | (RunBase & {
      readonly status: 'completed';
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly stdout: string;
      readonly stderr: string;
      /** The output cap was reached: output incomplete, command stopped, nothing parsed. */
      readonly truncated: boolean;
      readonly durationMs: number;
      readonly hostKeyFingerprint: string;
      /** From the template's parser, when it has one and the command exited 0 untruncated. */
      readonly readings: DiagnosticReading[];
      /** Why the output could not be parsed, when the template has a parser. */
      readonly parseError: string | null;
    })
  | (RunBase & {
      readonly status: 'refused';
      readonly reason: 'HOST_KEY_UNKNOWN';
      /** The key to show the operator for confirmation (`confirmHostKey`). */
      readonly presented: PresentedHostKey;
    })
  | (RunBase & {
      readonly status: 'refused';
      readonly reason: 'HOST_KEY_CHANGED';
      readonly presented: PresentedHostKey;
      readonly pinned: { readonly keyType: string; readonly fingerprint: string };
    });

const RUN_ID = /^[A-Za-z0-9-]{8,64}$/;

export class DiagnosticsService {
  private readonly devices: ReadonlyMap<string, DiagnosticsDevice>;
  private readonly templates: ReadonlyMap<string, CommandTemplate>;
  private readonly running = new Map<string, number>();
  private readonly maxConcurrent: number;

  constructor(
    devices: readonly DiagnosticsDevice[],
    private readonly deps: {
      readonly shell: RemoteShell;
      readonly trust: HostKeyTrust;
      readonly secrets: SecretSource;
      readonly audit: AuditLog;
      readonly clock: Clock;
      readonly logger: Logger;
    },
    private readonly options: DiagnosticsServiceOptions = {},
  ) {
    const templates = options.templates ?? BUILT_IN_TEMPLATES;
    const byId = new Map<string, CommandTemplate>();
    for (const t of templates) {
      checkTemplate(t);
      if (byId.has(t.id)) throw new RangeError(`template "${t.id}" is defined twice`);
      byId.set(t.id, t);
    }
    for (const d of devices) {
      for (const id of d.ssh?.templates ?? [])
        if (!byId.has(id)) throw new RangeError(`device "${d.id}" allows unknown template "${id}"`);
    }
    this.templates = byId;
    this.devices = new Map(devices.map((d) => [d.id, d]));
    this.maxConcurrent = options.maxConcurrentRunsPerDevice ?? 2;
  }

  /** The templates `deviceId` allows, described for the UI (empty when it has no SSH access). */
  templatesFor(deviceId: string): TemplateDescription[] {
    const device = this.device(deviceId);
    return (device.ssh?.templates ?? []).map((id) => describeTemplate(this.templates.get(id)!));
  }

  hostKeyState(deviceId: string): Promise<HostKeyState> {
    this.sshOf(this.device(deviceId));
    return this.deps.trust.state(deviceId);
  }

  /**
   * Reads the key the device presents now (no authentication) and records it: an offer to confirm
   * when it is not the pin, and a `hostKeyChanged` event when a different key is pinned.
   */
  async probeHostKey(deviceId: string, signal: AbortSignal): Promise<HostKeyState> {
    const device = this.device(deviceId);
    const ssh = this.sshOf(device);
    const { pinned, hostKeyType } = await this.deps.trust.checkFor(deviceId);
    const key = await this.deps.shell.probeHostKey(
      { host: device.address, port: ssh.port, ...this.timeouts(), ...(hostKeyType ? { hostKeyType } : {}) },
      signal,
    );
    this.deps.trust.notePresented(deviceId, endpointOf(device), key, pinned);
    return this.deps.trust.state(deviceId);
  }

  /** Pins the key the device presented, after the operator compared `fingerprint`; audited. */
  confirmHostKey(deviceId: string, fingerprint: string, actor: Actor): Promise<HostKeyPin> {
    this.sshOf(this.device(deviceId));
    return this.deps.trust.confirm(deviceId, fingerprint, actor);
  }

  forgetHostKey(deviceId: string, actor: Actor): Promise<boolean> {
    this.device(deviceId);
    return this.deps.trust.forget(deviceId, actor);
  }

  /**
   * Runs an allow-listed template on a device. Refusals by host key are results (with the key to
   * show); connection, authentication and timeout failures reject with an UpstreamError.
   */
  async run(
    request: DiagnosticRunRequest,
    actor: Actor,
    options: { readonly signal: AbortSignal; readonly onOutput?: (output: DiagnosticOutput) => void },
  ): Promise<DiagnosticRunResult> {
    const device = this.device(request.deviceId);
    const ssh = this.sshOf(device);
    const template = this.templates.get(request.templateId);
    if (template === undefined || !ssh.templates.includes(template.id))
      throw new VigieError(
        'FORBIDDEN',
        `template "${request.templateId}" is not allowed on device "${device.id}"`,
      );
    const rendered = renderTemplate(template, request.params);
    if (!rendered.ok)
      throw new VigieError(
        'VALIDATION',
        `invalid parameters for "${template.id}": ${rendered.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        { issues: rendered.issues },
      );
    if (request.runId !== undefined && !RUN_ID.test(request.runId))
      throw new VigieError('VALIDATION', 'runId must be 8 to 64 letters, digits or dashes');
    const runId = request.runId ?? randomUUID();
    const { argv, stdin, params } = rendered.command;
    const commandLine = posixCommandLine(argv);

    const inFlight = this.running.get(device.id) ?? 0;
    if (inFlight >= this.maxConcurrent)
      throw new VigieError(
        'CONFLICT',
        `${inFlight} diagnostics already running on "${device.id}"; wait for them`,
      );
    this.running.set(device.id, inFlight + 1);
    try {
      const startedAt = this.deps.clock.now();
      await this.deps.audit.append({
        at: startedAt,
        actor: actor.seat,
        role: actor.role,
        action: 'diagnostics.run',
        target: device.id,
        details: { runId, template: template.id, parameters: JSON.stringify(params), command: commandLine },
      });
      const base: RunBase = { runId, deviceId: device.id, templateId: template.id, commandLine, startedAt };
      const { check, pinned, hostKeyType } = await this.deps.trust.checkFor(device.id);
      const target: RemoteTarget = {
        host: device.address,
        port: ssh.port,
        username: ssh.user,
        credential: await this.credentialOf(device),
        ...this.timeouts(),
        ...(hostKeyType ? { hostKeyType } : {}),
      };
      const onOutput = options.onOutput;
      try {
        const result = await this.deps.shell.run(
          target,
          {
            argv,
            ...(stdin === undefined ? {} : { stdin }),
            timeoutMs: template.timeoutMs,
            maxOutputBytes: template.maxOutputBytes,
            ...(onOutput
              ? { onOutput: (c: OutputChunk) => onOutput({ ...c, runId, deviceId: device.id }) }
              : {}),
          },
          check,
          options.signal,
        );
        const parsed =
          template.parser === undefined
            ? null
            : result.exitCode !== 0 || result.truncated
              ? ({ ok: false, error: 'not parsed: the command failed or its output was cut' } as const)
              : parseOutput(template.parser, result.stdout);
        this.deps.logger.info(
          {
            runId,
            deviceId: device.id,
            template: template.id,
            exitCode: result.exitCode,
            ms: result.durationMs,
          },
          'diagnostic ran',
        );
        return {
          ...base,
          status: 'completed',
          exitCode: result.exitCode,
          signal: result.signal,
          stdout: result.stdout,
          stderr: result.stderr,
          truncated: result.truncated,
          durationMs: result.durationMs,
          hostKeyFingerprint: result.hostKey.fingerprint,
          readings: parsed?.ok ? parsed.readings : [],
          parseError: parsed === null || parsed.ok ? null : parsed.error,
        };
      } catch (err: unknown) {
        if (!(err instanceof HostKeyRefusedError)) throw err;
        this.deps.trust.notePresented(device.id, endpointOf(device), err.presented, pinned);
        if (err.code === 'HOST_KEY_CHANGED' && pinned !== null)
          return {
            ...base,
            status: 'refused',
            reason: 'HOST_KEY_CHANGED',
            presented: err.presented,
            pinned: { keyType: pinned.keyType, fingerprint: pinned.fingerprint },
          };
        return { ...base, status: 'refused', reason: 'HOST_KEY_UNKNOWN', presented: err.presented };
      }
    } finally {
      const left = (this.running.get(device.id) ?? 1) - 1;
      if (left <= 0) this.running.delete(device.id);
      else this.running.set(device.id, left);
    }
  }

  private device(deviceId: string): DiagnosticsDevice {
    const device = this.devices.get(deviceId);
    if (device === undefined) throw new VigieError('NOT_FOUND', `no device "${deviceId}"`);
    return device;
  }

  private sshOf(device: DiagnosticsDevice): NonNullable<DiagnosticsDevice['ssh']> {
    if (device.ssh === undefined)
      throw new VigieError('NOT_FOUND', `device "${device.id}" has no SSH access configured`);
    return device.ssh;
  }

  private timeouts(): { connectTimeoutMs?: number; readyTimeoutMs?: number } {
    return {
      ...(this.options.connectTimeoutMs === undefined
        ? {}
        : { connectTimeoutMs: this.options.connectTimeoutMs }),
      ...(this.options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: this.options.readyTimeoutMs }),
    };
  }

  /** Resolves the device's secret; the error names the reference, never the value. */
  private async credentialOf(device: DiagnosticsDevice): Promise<SshCredential> {
    const ssh = this.sshOf(device);
    const ref = ssh.keySecret ?? ssh.passwordSecret;
    if (ref === undefined)
      throw new UpstreamError(
        `device:${device.id}`,
        'CREDENTIAL',
        'no keySecret or passwordSecret configured',
      );
    let secret: string;
    try {
      secret = await this.deps.secrets.resolve(ref);
    } catch (err: unknown) {
      throw new UpstreamError(
        `device:${device.id}`,
        'CREDENTIAL',
        `the SSH credential ${ref} cannot be read${err instanceof Error ? `: ${err.message}` : ''}`,
        { cause: err },
      );
    }
    return ssh.keySecret !== undefined
      ? { kind: 'privateKey', privateKey: secret }
      : { kind: 'password', password: secret };
  }
}

/** `host:port` of a device's SSH, as pins and offers record it (IPv6 in brackets). */
export function endpointOf(device: DiagnosticsDevice): string {
  const host = device.address.includes(':') ? `[${device.address}]` : device.address;
  return `${host}:${device.ssh?.port ?? 22}`;
}
