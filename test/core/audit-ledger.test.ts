import { createHash } from 'node:crypto';
import {
  type AuditEntry,
  auditAnchorHolds,
  canonicalJson,
  chainAuditEntry,
  GENESIS_HASH,
  hashAuditEntry,
  signAuditAnchor,
  verifyChain,
  verifyLedger,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryAuditLog, TEST_AUDIT_KEY } from '../support/audit-fakes.js';

const KEY = TEST_AUDIT_KEY;

function ledger(n: number, key = KEY): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push(
      chainAuditEntry(
        entries.at(-1),
        {
          actor: 'u',
          role: 'approver',
          action: 'payment-batch.approve',
          subject: `payment-batch/B-${i}`,
          after: { total: i },
        },
        `2026-03-01T10:00:0${i}Z`,
        key,
      ),
    );
  }
  return entries;
}

/** What finding 8's attacker did: edit entry 3 and recompute every later link with a hash of their choice. */
function editAndRechain(entries: AuditEntry[], rehash: (unhashed: Omit<AuditEntry, 'hash'>) => string) {
  const out: AuditEntry[] = [];
  for (const entry of entries) {
    const { hash: _h, ...rest } = entry.seq === 3 ? { ...entry, after: { total: 999 } } : entry;
    const unhashed = { ...rest, prevHash: out.at(-1)?.hash ?? GENESIS_HASH };
    out.push({ ...unhashed, hash: rehash(unhashed) });
  }
  return out;
}

describe('verifyChain', () => {
  it('accepts an intact chain with its head and anchor', () => {
    const entries = ledger(5);
    const anchor = signAuditAnchor(entries[4] as AuditEntry, '2026-03-01T10:00:05Z', KEY);
    expect(verifyChain(entries, KEY, { head: entries.at(-1), anchor })).toEqual({
      ok: true,
      count: 5,
      anchoredSeq: 5,
    });
  });

  it('finds an altered entry', () => {
    const entries = ledger(5);
    entries[2] = { ...(entries[2] as AuditEntry), after: { total: 999 } };
    expect(verifyChain(entries, KEY)).toMatchObject({ ok: false, brokenSeq: 3 });
  });

  it('finds a deleted entry, in the middle or at the end', () => {
    const entries = ledger(5);
    expect(
      verifyChain(
        entries.filter((e) => e.seq !== 2),
        KEY,
      ),
    ).toMatchObject({ ok: false, brokenSeq: 2 });
    expect(verifyChain(entries.slice(0, 4), KEY, { head: entries.at(-1) })).toMatchObject({
      ok: false,
      brokenSeq: 5,
    });
  });

  it('refuses an edited ledger re-chained with the old unkeyed sha256', () => {
    const forged = editAndRechain(ledger(5), (u) =>
      createHash('sha256')
        .update(u.prevHash + canonicalJson(u), 'utf8')
        .digest('hex'),
    );
    expect(verifyChain(forged, KEY, { head: forged.at(-1) })).toMatchObject({
      ok: false,
      brokenSeq: 1,
      reason: 'content does not match its MAC',
    });
  });

  it('refuses an edited ledger re-chained with a guessed key', () => {
    const guessed = ledger(5, 'local-dev-audit-key');
    expect(verifyChain(guessed, KEY, { head: guessed.at(-1) })).toMatchObject({ ok: false, brokenSeq: 1 });
  });

  it('refuses a ledger truncated or rolled back behind its latest anchor, even with the head moved back', () => {
    const entries = ledger(5);
    const anchor = signAuditAnchor(entries[4] as AuditEntry, '2026-03-01T10:00:05Z', KEY);
    const older = entries.slice(0, 3);
    expect(verifyChain(older, KEY, { head: older.at(-1), anchor })).toMatchObject({
      ok: false,
      brokenSeq: 4,
      reason: 'ledger ends at seq 3, behind its anchor at seq 5',
    });
  });

  it('refuses an anchor not signed with the key, and a ledger that differs at the anchored seq', () => {
    const entries = ledger(5);
    const forgedAnchor = signAuditAnchor(
      entries[4] as AuditEntry,
      '2026-03-01T10:00:05Z',
      'a-guessed-key-000000',
    );
    expect(auditAnchorHolds(forgedAnchor, KEY)).toBe(false);
    expect(verifyChain(entries, KEY, { anchor: forgedAnchor })).toMatchObject({ ok: false, brokenSeq: 5 });
    const anchorOfAnotherLedger = signAuditAnchor(
      { seq: 5, hash: 'f'.repeat(64) },
      '2026-03-01T10:00:05Z',
      KEY,
    );
    expect(verifyChain(entries, KEY, { anchor: anchorOfAnotherLedger })).toMatchObject({
      ok: false,
      brokenSeq: 5,
      reason: 'does not match the anchored checkpoint',
    });
  });
});

describe('verifyChain against every anchor (the deep check)', () => {
  it('catches a ledger re-chained with the real key under a newer forged anchor, which the latest-anchor check cannot', () => {
    const entries = ledger(5);
    const anchors = entries.map((e) => signAuditAnchor(e, e.at, KEY));
    const forged = editAndRechain(entries, (u) => hashAuditEntry(u, KEY));
    const forgedAnchor = signAuditAnchor(forged[4] as AuditEntry, '2026-03-01T11:00:00Z', KEY);
    expect(verifyChain(forged, KEY, { head: forged.at(-1), anchor: forgedAnchor })).toMatchObject({
      ok: true,
    });
    expect(
      verifyChain(forged, KEY, {
        head: forged.at(-1),
        anchor: forgedAnchor,
        anchors: [...anchors, forgedAnchor],
      }),
    ).toMatchObject({ ok: false, brokenSeq: 3, reason: 'does not match an earlier anchored checkpoint' });
    expect(verifyChain(entries, KEY, { head: entries.at(-1), anchor: anchors[4], anchors })).toMatchObject({
      ok: true,
    });
  });
});

describe('verifyLedger', () => {
  it('checks the ledger against the latest anchor the trust holds', async () => {
    const { log, trust, entries } = memoryAuditLog();
    for (let i = 0; i < 3; i++)
      await log.append({
        actor: 'a',
        role: 'approver',
        action: 'campaign.close',
        subject: `campaign/C-${i}`,
      });
    expect(await verifyLedger(log, trust)).toEqual({ ok: true, count: 3, anchoredSeq: 3 });
    entries.pop();
    expect(await verifyLedger(log, trust)).toMatchObject({ ok: false, brokenSeq: 3 });
  });
});
