import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../shared/api/audit';
import type { AuditEntry } from '../../ports/audit-log';
import {
  anchorLine,
  auditHash,
  canonicalAuditText,
  canonicalDetails,
  chainEntry,
  GENESIS_HASH,
  parseAnchors,
  REDACTED,
  verifyAuditChain,
  type AuditAnchor,
} from './audit-chain';

const entry = (n: number): AuditEntry => ({
  at: 1_700_000_000_000 + n * 1000,
  actor: `alice @ ws#${n % 3}`,
  role: 'operator',
  action: n % 2 === 0 ? 'alarms.acknowledge' : 'estate.runScenario',
  target: `target-${n}`,
  details: { comment: `because ${n}`, sticky: n % 2 === 0, count: n, none: null },
});

/** A clean chain of `n` entries and an anchor after each, as the store writes them. */
function chain(n: number): { entries: AuditRecord[]; anchors: AuditAnchor[] } {
  const entries: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) entries.push(chainEntry(entry(i), entries.at(-1) ?? null));
  return { entries, anchors: entries.map((e) => ({ seq: e.seq, hash: e.hash, at: e.at + 1 })) };
}

/** Re-hashes an entry after a change, as a careful forger would. */
const rehash = (e: AuditRecord): AuditRecord => ({ ...e, hash: auditHash(e, e.seq, e.prevHash) });

const NOW = 1_800_000_000_000;

describe('the canonical form', () => {
  it('puts the fields in a fixed order with the seq and previous hash, details keys sorted', () => {
    const a = canonicalAuditText({ ...entry(1), details: { b: 1, a: 'x' } }, 7, GENESIS_HASH);
    const b = canonicalAuditText({ ...entry(1), details: { a: 'x', b: 1 } }, 7, GENESIS_HASH);
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual([
      'vigie-audit/1',
      7,
      GENESIS_HASH,
      1_700_000_001_000,
      'alice @ ws#1',
      'operator',
      'estate.runScenario',
      'target-1',
      { a: 'x', b: 1 },
    ]);
    expect(canonicalDetails({ z: null, a: true })).toBe('{"a":true,"z":null}');
  });

  it('changes the hash with any field, the seq or the previous hash', () => {
    const base = entry(4);
    const h = auditHash(base, 4, GENESIS_HASH);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      auditHash({ ...base, at: base.at + 1 }, 4, GENESIS_HASH),
      auditHash({ ...base, actor: 'mallory @ ws#1' }, 4, GENESIS_HASH),
      auditHash({ ...base, role: 'admin' }, 4, GENESIS_HASH),
      auditHash({ ...base, action: 'alarms.resolve' }, 4, GENESIS_HASH),
      auditHash({ ...base, target: 'other' }, 4, GENESIS_HASH),
      auditHash({ ...base, details: { ...base.details, count: 5 } }, 4, GENESIS_HASH),
      auditHash({ ...base, details: { ...base.details, extra: 'x' } }, 4, GENESIS_HASH),
      auditHash(base, 5, GENESIS_HASH),
      auditHash(base, 4, 'f'.repeat(64)),
    ];
    for (const v of variants) expect(v).not.toBe(h);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('chains from 64 zeros, seq from 1, and redacts secret-named details', () => {
    const first = chainEntry(
      { ...entry(1), at: 10.4, details: { password: 'hunter2', apiKey: 'k', fine: 'ok' } },
      null,
    );
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: 10 });
    expect(first.details).toEqual({ password: REDACTED, apiKey: REDACTED, fine: 'ok' });
    expect(JSON.stringify(first)).not.toContain('hunter2');
    const second = chainEntry(entry(2), first);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
  });
});

describe('anchors', () => {
  it('round-trip as JSON lines; a torn or foreign line is skipped', () => {
    const a = { seq: 3, hash: 'a'.repeat(64), at: 5 };
    const text = `${anchorLine(a)}not json\n{"seq":"4"}\n${anchorLine({ ...a, seq: 4 })}{"seq":5,"ha`;
    expect(parseAnchors(text)).toEqual([a, { ...a, seq: 4 }]);
  });
});

describe('verifyAuditChain', () => {
  it('passes a clean log, in any stored order, and says which anchor it checked last', () => {
    const { entries, anchors } = chain(20);
    expect(verifyAuditChain([...entries].reverse(), anchors, NOW)).toEqual({
      ok: true,
      entries: 20,
      lastAnchorSeq: 20,
      checkedAt: NOW,
    });
  });

  it('passes an empty log with no anchors', () => {
    expect(verifyAuditChain([], [], NOW)).toEqual({
      ok: true,
      entries: 0,
      lastAnchorSeq: null,
      checkedAt: NOW,
    });
  });

  it('names an entry whose details were changed: modified', () => {
    const { entries, anchors } = chain(10);
    entries[6] = { ...entries[6]!, details: { ...entries[6]!.details, comment: 'nothing to see' } };
    const v = verifyAuditChain(entries, anchors, NOW);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.problem).toMatchObject({ kind: 'modified', seq: 7 });
    expect(v.problem.message).toMatch(/^entry 7 was modified \(stored hash [0-9a-f]{12}… differs/);
  });

  it('names each kind of field change: modified', () => {
    for (const change of [
      (e: AuditRecord) => ({ ...e, at: e.at + 1 }),
      (e: AuditRecord) => ({ ...e, actor: 'someone @ else' }),
      (e: AuditRecord) => ({ ...e, role: 'admin' }),
      (e: AuditRecord) => ({ ...e, action: 'x.y' }),
      (e: AuditRecord) => ({ ...e, target: 't' }),
      (e: AuditRecord) => ({ ...e, prevHash: 'e'.repeat(64) }),
      (e: AuditRecord) => ({ ...e, hash: 'e'.repeat(64) }),
    ]) {
      const { entries, anchors } = chain(5);
      entries[2] = change(entries[2]!);
      const v = verifyAuditChain(entries, anchors, NOW);
      expect(v.ok ? null : v.problem).toMatchObject({ kind: 'modified', seq: 3 });
    }
  });

  it('names an entry changed and re-hashed by the entry after it: modified', () => {
    const { entries, anchors } = chain(10);
    entries[3] = rehash({ ...entries[3]!, target: 'forged' });
    const v = verifyAuditChain(entries, anchors, NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'modified', seq: 4 });
    expect(v.ok ? '' : v.problem.message).toMatch(
      /^entry 4 was modified \(its hash .* is not the one entry 5 recorded/,
    );
  });

  it('names the last entry changed and re-hashed (nothing after it links to it): anchor-mismatch', () => {
    const { entries, anchors } = chain(10);
    entries[9] = rehash({ ...entries[9]!, details: {} });
    const v = verifyAuditChain(entries, anchors, NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'anchor-mismatch', seq: 10 });
  });

  it('names a log rewritten wholesale with fresh hashes: anchor-mismatch at the first rewritten entry', () => {
    const { entries, anchors } = chain(10);
    const forged: AuditRecord[] = entries.slice(0, 4);
    for (const e of entries.slice(4))
      forged.push(chainEntry({ ...e, actor: e.seq === 5 ? 'nobody @ desktop' : e.actor }, forged.at(-1)!));
    const v = verifyAuditChain(forged, anchors, NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'anchor-mismatch', seq: 5 });
    expect(v.ok ? '' : v.problem.message).toMatch(
      /^entry 5 differs from its anchor of .*: the log was rewritten$/,
    );
  });

  it('names a missing entry with the seqs on each side: removed', () => {
    const { entries, anchors } = chain(20);
    const v = verifyAuditChain(
      entries.filter((e) => e.seq !== 17),
      anchors,
      NOW,
    );
    expect(v.ok ? null : v.problem).toEqual({
      kind: 'removed',
      seq: 17,
      message: 'entry 17 is missing (seq 16 then 18)',
    });
    const several = verifyAuditChain(
      entries.filter((e) => e.seq < 5 || e.seq > 8),
      anchors,
      NOW,
    );
    expect(several.ok ? null : several.problem).toMatchObject({ kind: 'removed', seq: 5 });
    expect(several.ok ? '' : several.problem.message).toBe('entries 5 to 8 are missing (seq 4 then 9)');
  });

  it('names the first entry when it is gone: removed', () => {
    const { entries, anchors } = chain(3);
    const v = verifyAuditChain(entries.slice(1), anchors, NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'removed', seq: 1 });
  });

  it('names a removal closed up by renumbering the entries after it: removed', () => {
    const { entries, anchors } = chain(10);
    const renumbered = entries
      .filter((e) => e.seq !== 6)
      .map((e) => (e.seq > 6 ? { ...e, seq: e.seq - 1 } : e));
    const v = verifyAuditChain(renumbered, anchors, NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'removed', seq: 6 });
    expect(v.ok ? '' : v.problem.message).toContain('the entry stored as 6 was entry 7');
  });

  it('names an entry appended by someone else, even with a well-formed hash: inserted', () => {
    const { entries, anchors } = chain(10);
    const forged = [...entries, chainEntry(entry(99), entries.at(-1)!)];
    const v = verifyAuditChain(forged, anchors, NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'inserted', seq: 11 });
    const junk = verifyAuditChain(
      [...entries, { ...entries[0]!, seq: 11, hash: 'b'.repeat(64) }],
      anchors,
      NOW,
    );
    expect(junk.ok ? null : junk.problem).toMatchObject({ kind: 'inserted', seq: 11 });
  });

  it('names an entry spliced in with the later ones renumbered: inserted', () => {
    const { entries, anchors } = chain(10);
    const spliced = chainEntry(entry(50), entries[3]!); // seq 5, linked to entry 4
    const forged = [
      ...entries.slice(0, 4),
      spliced,
      ...entries.slice(4).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    const v = verifyAuditChain(forged, [...anchors, { seq: 11, hash: forged.at(-1)!.hash, at: 0 }], NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'inserted', seq: 5 });
    expect(v.ok ? '' : v.problem.message).toBe('entry 5 was inserted (entry 6 links to entry 4)');
  });

  it('names a duplicated seq: inserted', () => {
    const { entries, anchors } = chain(5);
    const v = verifyAuditChain([...entries, { ...entries[2]!, target: 'twin' }], anchors, NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'inserted', seq: 3 });
  });

  it('names entries cut from the end: truncated', () => {
    const { entries, anchors } = chain(10);
    const one = verifyAuditChain(entries.slice(0, 9), anchors, NOW);
    expect(one.ok ? null : one.problem).toEqual({
      kind: 'truncated',
      seq: 10,
      message: 'entry 10 is missing from the end (the log stops at 9; entry 10 was anchored)',
    });
    const three = verifyAuditChain(entries.slice(0, 7), anchors, NOW);
    expect(three.ok ? null : three.problem).toMatchObject({ kind: 'truncated', seq: 8 });
    const all = verifyAuditChain([], anchors, NOW);
    expect(all.ok ? null : all.problem).toMatchObject({ kind: 'truncated', seq: 1 });
  });

  it('refuses a log that no anchor covers: anchor-mismatch', () => {
    const { entries } = chain(3);
    const v = verifyAuditChain(entries, [], NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'anchor-mismatch', seq: 1 });
  });

  it('checks every anchor of a seq, including an older one written at migration', () => {
    const { entries, anchors } = chain(4);
    const v = verifyAuditChain(entries, [...anchors, { seq: 2, hash: 'c'.repeat(64), at: 1 }], NOW);
    expect(v.ok ? null : v.problem).toMatchObject({ kind: 'anchor-mismatch', seq: 2 });
  });

  it('accepts anchors taken every few entries (a batch), as long as the last entry is anchored', () => {
    const { entries, anchors } = chain(10);
    const v = verifyAuditChain(
      entries,
      anchors.filter((a) => a.seq % 4 === 0 || a.seq === 10),
      NOW,
    );
    expect(v).toMatchObject({ ok: true, entries: 10, lastAnchorSeq: 10 });
  });
});
