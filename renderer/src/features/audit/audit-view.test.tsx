import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../shared/api/audit';
import { createFakeTransport, failure, ok } from '../../lib/testing/fake-transport';
import { renderWithProviders } from '../../lib/testing/render';
import { AuditView } from './audit-view';

const record = (seq: number): AuditRecord => ({
  seq,
  at: Date.UTC(2026, 10, 23, 8, 0, seq),
  actor: seq % 2 === 0 ? 'alice @ ws#2' : 'bob @ desktop',
  role: 'operator',
  action: 'alarms.acknowledge',
  target: `alarm-${seq}`,
  details: { comment: `note ${seq}` },
  prevHash: '0'.repeat(64),
  hash: String(seq % 10).repeat(64),
});

/** 150 entries, served newest first in pages as the engine does. */
function engine() {
  const all = Array.from({ length: 150 }, (_, i) => record(i + 1)).reverse();
  return createFakeTransport({
    'audit.query': (req) => {
      const matching = all.filter(
        (e) =>
          (req.actor === undefined || e.actor.includes(req.actor)) &&
          (req.beforeSeq === undefined || e.seq < req.beforeSeq),
      );
      const limit = req.limit ?? 100;
      const entries = matching.slice(0, limit);
      return ok({ entries, nextBeforeSeq: matching.length > limit ? (entries.at(-1)?.seq ?? null) : null });
    },
    'audit.verify': () =>
      ok({
        ok: false as const,
        entries: 150,
        lastAnchorSeq: 150,
        checkedAt: 0,
        problem: { kind: 'removed' as const, seq: 17, message: 'entry 17 is missing (seq 16 then 18)' },
      }),
    'audit.export': () => failure('FORBIDDEN', 'no'),
  });
}

afterEach(cleanup);

const text = (el: Element | undefined | null): string => el?.textContent ?? '';
const disabled = (id: string): boolean => screen.getByTestId<HTMLButtonElement>(id).disabled;

describe('AuditView', () => {
  it('lists the newest entries with who, what and when, and pages to older ones and back', async () => {
    const transport = engine();
    renderWithProviders(<AuditView />, { transport });
    const table = await screen.findByTestId('audit-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(100);
    expect(text(rows[0])).toContain('150');
    expect(text(rows[0])).toContain('alice @ ws#2');
    expect(text(rows[0])).toContain('alarms.acknowledge');
    expect(text(rows[0])).toContain('comment=note 150');
    expect(disabled('audit-newer')).toBe(true);

    await userEvent.click(screen.getByTestId('audit-older'));
    await waitFor(() =>
      expect(screen.getByTestId('audit-table').querySelector('tbody tr')?.getAttribute('data-seq')).toBe(
        '50',
      ),
    );
    expect(transport.callsTo('audit.query').at(-1)).toMatchObject({ beforeSeq: 51, limit: 100 });
    expect(disabled('audit-older')).toBe(true);
    await userEvent.click(screen.getByTestId('audit-newer'));
    await waitFor(() =>
      expect(screen.getByTestId('audit-table').querySelector('tbody tr')?.getAttribute('data-seq')).toBe(
        '150',
      ),
    );
  });

  it('asks the engine with the filters given, from the first page', async () => {
    const transport = engine();
    renderWithProviders(<AuditView />, { transport });
    await screen.findByTestId('audit-table');
    await userEvent.type(screen.getByTestId('audit-filter-actor'), 'bob');
    await userEvent.type(screen.getByTestId('audit-filter-from'), '2026-11-23T09:00');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(transport.callsTo('audit.query').at(-1)).toMatchObject({ actor: 'bob' }));
    // 09:00 in Brussels (UTC+1 in November) is 08:00 UTC.
    expect(transport.callsTo('audit.query').at(-1)).toMatchObject({ from: Date.UTC(2026, 10, 23, 8, 0) });
    await waitFor(() =>
      expect(text(within(screen.getByTestId('audit-table')).getAllByRole('row')[1])).toContain(
        'bob @ desktop',
      ),
    );
  });

  it('shows the verdict of "Verify chain", naming the entry, and an export the engine refused', async () => {
    const transport = engine();
    renderWithProviders(<AuditView />, { transport });
    await userEvent.click(screen.getByTestId('audit-verify'));
    const verdict = await screen.findByTestId('audit-verdict');
    expect(verdict?.getAttribute('data-ok')).toBe('false');
    expect(text(verdict)).toContain('Entry #17 is missing');
    expect(text(verdict)).toContain('entry 17 is missing (seq 16 then 18)');
    await userEvent.click(screen.getByTestId('audit-export-csv'));
    expect(await screen.findByText('The audit trail could not be exported.')).toBeTruthy();
    expect(transport.callsTo('audit.export')).toEqual([{ format: 'csv' }]);
  });
});
