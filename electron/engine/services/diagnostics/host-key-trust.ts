/**
 * Host key pinning policy, shared by every service that reaches devices over SSH (diagnostics now,
 * failover runbooks in issue 9): a device is trusted only when it presents its pinned key.
 *
 * - No pin: the connection is refused (HOST_KEY_UNKNOWN) and the presented key is kept as an
 *   offer; an operator compares its fingerprint with the device's (console, `ssh-keygen -l`) and
 *   confirms it, which pins it (audited first).
 * - Pin differs: refused (HOST_KEY_CHANGED), the key kept as an offer, and a `hostKeyChanged`
 *   event raised for the alarm engine. A legitimate key rotation is confirmed the same way.
 * Only a key a device actually presented (a recent offer) can be confirmed: an operator can never
 * type a fingerprint in.
 */
import { VigieError } from '../../../../shared/api';
import type { AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import type { HostKeyPin, HostKeyPinStore } from '../../ports/host-key-pins';
import type { Logger } from '../../ports/logger';
import type { HostKeyCheck, PresentedHostKey } from '../../ports/remote-shell';

/** Who acts: the seat (desktop, or a WebSocket seat) and its role, as in the audit log. */
export interface Actor {
  readonly seat: string;
  readonly role: string;
}

/** A key a device presented that is not its pin, awaiting an operator's decision. */
export interface HostKeyOffer {
  readonly key: PresentedHostKey;
  /** `host:port` it was presented at. */
  readonly endpoint: string;
  /** Epoch ms. */
  readonly at: number;
}

export interface HostKeyState {
  readonly deviceId: string;
  readonly pinned: HostKeyPin | null;
  /** The latest key presented that is not the pin, if recent enough to be confirmed. */
  readonly offered: HostKeyOffer | null;
}

/** Raised when a device presents a key other than its pin: an alarm source. */
export interface HostKeyChangedEvent {
  readonly deviceId: string;
  readonly endpoint: string;
  readonly pinned: { readonly keyType: string; readonly fingerprint: string };
  readonly presented: PresentedHostKey;
  readonly at: number;
}

export interface HostKeyTrustOptions {
  /** How long an offer can be confirmed after the device presented it; 15 minutes. */
  readonly offerTtlMs?: number;
}

export class HostKeyTrust {
  private readonly offers = new Map<string, HostKeyOffer>();
  private readonly listeners = new Set<(event: HostKeyChangedEvent) => void>();
  private readonly offerTtlMs: number;

  constructor(
    private readonly pins: HostKeyPinStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: HostKeyTrustOptions = {},
  ) {
    this.offerTtlMs = options.offerTtlMs ?? 15 * 60_000;
  }

  /** Listens for changed host keys (the alarm engine's hook); returns the unsubscribe function. */
  onHostKeyChanged(listener: (event: HostKeyChangedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The check for one connection to `deviceId` (trusted only on the pinned key, same type and
   * fingerprint), with the pin it checks against and the key type to ask the server for.
   */
  async checkFor(
    deviceId: string,
  ): Promise<{ check: HostKeyCheck; pinned: HostKeyPin | null; hostKeyType: string | undefined }> {
    const pinned = await this.pins.getHostKeyPin(deviceId);
    const check: HostKeyCheck = (key) => {
      if (pinned === null) return 'unknown';
      return key.type === pinned.keyType && key.fingerprint === pinned.fingerprint ? 'trusted' : 'changed';
    };
    return { check, pinned, hostKeyType: pinned?.keyType };
  }

  /**
   * Records a key `deviceId` presented: kept as an offer unless it is the pin, and when it differs
   * from the pin, logged and raised as `hostKeyChanged`. Returns whether it differs from a pin.
   */
  notePresented(
    deviceId: string,
    endpoint: string,
    key: PresentedHostKey,
    pinned: HostKeyPin | null,
  ): boolean {
    const at = this.clock.now();
    if (pinned !== null && pinned.fingerprint === key.fingerprint && pinned.keyType === key.type) {
      this.offers.delete(deviceId);
      return false;
    }
    this.offers.set(deviceId, { key, endpoint, at });
    if (pinned === null) return false;
    const event: HostKeyChangedEvent = {
      deviceId,
      endpoint,
      pinned: { keyType: pinned.keyType, fingerprint: pinned.fingerprint },
      presented: key,
      at,
    };
    this.logger.warn(
      { deviceId, endpoint, pinned: pinned.fingerprint, presented: key.fingerprint },
      'host key changed: connection refused',
    );
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err: unknown) {
        this.logger.error({ err, deviceId }, 'hostKeyChanged listener failed');
      }
    }
    return true;
  }

  async state(deviceId: string): Promise<HostKeyState> {
    return { deviceId, pinned: await this.pins.getHostKeyPin(deviceId), offered: this.liveOffer(deviceId) };
  }

  /**
   * Pins the key `deviceId` presented, if its fingerprint is `fingerprint` (what the operator
   * compared). Audited before it is stored. Confirming the pinned key again changes nothing.
   */
  async confirm(deviceId: string, fingerprint: string, actor: Actor): Promise<HostKeyPin> {
    const previous = await this.pins.getHostKeyPin(deviceId);
    if (previous?.fingerprint === fingerprint) return previous;
    const offer = this.liveOffer(deviceId);
    if (offer === null)
      throw new VigieError(
        'CONFLICT',
        `no host key from ${deviceId} awaits confirmation: read it again (run a diagnostic or probe the key)`,
      );
    if (offer.key.fingerprint !== fingerprint)
      throw new VigieError(
        'CONFLICT',
        `${deviceId} presented ${offer.key.fingerprint}, not ${fingerprint}: compare again before confirming`,
      );
    const at = this.clock.now();
    await this.audit.append({
      at,
      actor: actor.seat,
      role: actor.role,
      action: 'diagnostics.confirmHostKey',
      target: deviceId,
      details: {
        fingerprint,
        keyType: offer.key.type,
        endpoint: offer.endpoint,
        replaces: previous?.fingerprint ?? null,
      },
    });
    const pin: HostKeyPin = {
      deviceId,
      keyType: offer.key.type,
      fingerprint,
      publicKey: offer.key.publicKey,
      endpoint: offer.endpoint,
      pinnedAt: at,
      pinnedBy: actor.seat,
    };
    await this.pins.saveHostKeyPin(pin);
    this.offers.delete(deviceId);
    this.logger.info({ deviceId, fingerprint, replaces: previous?.fingerprint ?? null }, 'host key pinned');
    return pin;
  }

  /** Removes a device's pin (decommissioned, re-installed); audited first. Whether one existed. */
  async forget(deviceId: string, actor: Actor): Promise<boolean> {
    const previous = await this.pins.getHostKeyPin(deviceId);
    if (previous === null) return false;
    await this.audit.append({
      at: this.clock.now(),
      actor: actor.seat,
      role: actor.role,
      action: 'diagnostics.forgetHostKey',
      target: deviceId,
      details: { fingerprint: previous.fingerprint, keyType: previous.keyType },
    });
    return this.pins.deleteHostKeyPin(deviceId);
  }

  private liveOffer(deviceId: string): HostKeyOffer | null {
    const offer = this.offers.get(deviceId);
    if (offer === undefined) return null;
    if (this.clock.now() - offer.at > this.offerTtlMs) {
      this.offers.delete(deviceId);
      return null;
    }
    return offer;
  }
}
