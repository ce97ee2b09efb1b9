/**
 * Delivers the notification outbox: e-mails and webhooks written (committed) by the alarm
 * service before they are sent. Each entry is retried with backoff and jitter until it is sent
 * or has failed `maxAttempts` times; the outcome goes back to the alarm service, which commits
 * it with the alarm's history ("notified", "notificationFailed"). A retry carries the entry's
 * key (Message-ID, Idempotency-Key), so a receiver can drop a duplicate.
 */
import type { AlarmHistoryEntry } from '../../../../shared/domain/alarm';
import type { OutboxEntry } from '../../ports/alarm-store';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { EmailSender, WebhookSender } from '../../ports/notification-channels';

export interface OutboxSenderDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly email: { readonly sender: EmailSender; readonly from: string } | null;
  /** The sender, URL and headers (secrets resolved) of a configured webhook. */
  readonly webhookTarget: (
    id: string,
  ) => Promise<{ sender: WebhookSender; url: string; headers: Readonly<Record<string, string>> }>;
  /** Where outcomes go (the alarm service commits them). */
  readonly report: (entry: OutboxEntry, history: AlarmHistoryEntry) => void;
  readonly maxAttempts?: number;
  readonly concurrency?: number;
  readonly random?: () => number;
}

interface EmailPayload {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
}

const BASE_BACKOFF_MS = 15_000;
const MAX_BACKOFF_MS = 30 * 60_000;

function isEmailPayload(p: unknown): p is EmailPayload {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  return (
    Array.isArray(o.to) &&
    typeof o.subject === 'string' &&
    typeof o.text === 'string' &&
    typeof o.messageId === 'string'
  );
}

export class OutboxSender {
  private readonly queue = new Map<string, OutboxEntry>();
  private readonly inFlight = new Set<string>();
  private cancelTimer: (() => void) | null = null;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: OutboxSenderDeps) {}

  /** Pending entries to deliver (from a commit, or loaded at start). */
  enqueue(entries: readonly OutboxEntry[]): void {
    for (const e of entries)
      if (e.status === 'pending' && !this.inFlight.has(e.key)) this.queue.set(e.key, e);
    this.pump();
  }

  /** Entries waiting or being sent (for tests and the status line). */
  pending(): number {
    return this.queue.size + this.inFlight.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.stopping.abort();
    await this.deps.email?.sender.close();
  }

  private pump(): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const now = this.deps.clock.now();
    const limit = this.deps.concurrency ?? 4;
    const due = [...this.queue.values()]
      .filter((e) => e.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
    for (const e of due) {
      if (this.inFlight.size >= limit) break;
      this.queue.delete(e.key);
      this.inFlight.add(e.key);
      void this.deliver(e).finally(() => {
        this.inFlight.delete(e.key);
        this.pump();
      });
    }
    const next = Math.min(...[...this.queue.values()].map((e) => e.nextAttemptAt));
    if (Number.isFinite(next))
      this.cancelTimer = this.deps.clock.setTimeout(() => this.pump(), Math.max(0, next - now));
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const attempts = entry.attempts + 1;
    let detail: string;
    try {
      detail = await this.send(entry);
    } catch (err: unknown) {
      if (this.stopped) return; // stays pending in the store: sent after the restart
      const message = err instanceof Error ? err.message : String(err);
      const max = this.deps.maxAttempts ?? 8;
      const now = this.deps.clock.now();
      const giveUp = attempts >= max;
      const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempts - 1));
      const next: OutboxEntry = {
        ...entry,
        attempts,
        status: giveUp ? 'failed' : 'pending',
        nextAttemptAt: now + backoff * (0.5 + (this.deps.random ?? Math.random)() / 2),
        lastError: message.slice(0, 500),
      };
      this.deps.logger.warn(
        { key: entry.key, channel: entry.channel, attempts, err: message },
        'notification not delivered',
      );
      this.deps.report(next, {
        alarmId: entry.alarmId,
        at: now,
        actor: 'engine',
        action: 'notificationFailed',
        comment: null,
        from: null,
        to: 'outstanding',
        details: { channel: entry.channel, attempts, error: message.slice(0, 500), willRetry: !giveUp },
      });
      if (!giveUp) {
        this.queue.set(next.key, next);
      }
      return;
    }
    const now = this.deps.clock.now();
    this.deps.report(
      { ...entry, attempts, status: 'sent', lastError: null },
      {
        alarmId: entry.alarmId,
        at: now,
        actor: 'engine',
        action: 'notified',
        comment: null,
        from: null,
        to: 'outstanding',
        details: { channel: entry.channel, to: detail },
      },
    );
  }

  /** Sends one entry; returns who it went to (for the history). */
  private async send(entry: OutboxEntry): Promise<string> {
    const signal = this.stopping.signal;
    if (entry.channel === 'email') {
      if (!this.deps.email) throw new Error('no SMTP server is configured (alarms.channels.email)');
      if (!isEmailPayload(entry.payload)) throw new Error('unreadable e-mail in the outbox');
      const p = entry.payload;
      await this.deps.email.sender.send(
        {
          from: this.deps.email.from,
          to: p.to,
          subject: p.subject,
          text: p.text,
          messageId: p.messageId,
          headers: { 'X-Vigie-Alarm': entry.alarmId },
        },
        signal,
      );
      return p.to.join(', ');
    }
    if (entry.channel.startsWith('webhook:')) {
      const id = entry.channel.slice('webhook:'.length);
      const target = await this.deps.webhookTarget(id);
      const { status } = await target.sender.post(
        { url: target.url, payload: entry.payload, idempotencyKey: entry.key, headers: target.headers },
        signal,
      );
      return `${id} (HTTP ${status})`;
    }
    throw new Error(`unknown channel "${entry.channel}"`);
  }
}
