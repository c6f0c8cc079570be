import { deliverPack, type OutboundSms, type SendResult } from '@madad/core';
import { describe, expect, it } from 'vitest';

const reply = (id: string): OutboundSms => ({
  id,
  to: '+923001234567',
  text: `Madad: ${id}`,
  lang: 'ur-Latn',
  createdAt: '2026-08-20T10:00:00Z',
});

describe('deliverPack', () => {
  it('hands the pack over in bulk requests of the chunk size, each after the pacer let it go', async () => {
    const requests: string[][] = [];
    const paced: number[] = [];
    const provider = {
      sendMany: async (part: readonly OutboundSms[]): Promise<SendResult[]> => {
        requests.push(part.map((r) => r.id));
        return part.map((r) => ({ id: r.id, ok: true, providerMessageId: `p-${r.id}` }));
      },
    };

    const failures = await deliverPack(
      { provider, pacer: { take: async (n) => void paced.push(n) } },
      ['a', 'b', 'c', 'd', 'e'].map(reply),
      2,
    );

    expect(failures).toEqual([]);
    expect(requests).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(paced).toEqual([2, 2, 1]);
  });

  it('returns the refusals by reply id and still hands over the rest of the pack', async () => {
    const sent: string[] = [];
    const provider = {
      sendMany: async (part: readonly OutboundSms[]): Promise<SendResult[]> => {
        sent.push(...part.map((r) => r.id));
        return part.map((r) =>
          r.id === 'b'
            ? { id: r.id, ok: false, error: 'throttled' }
            : { id: r.id, ok: true, providerMessageId: 'p' },
        );
      },
    };

    const failures = await deliverPack(
      { provider, pacer: { take: async () => undefined } },
      ['a', 'b', 'c'].map(reply),
      1,
    );

    expect(failures).toEqual(['b: throttled']);
    expect(sent).toEqual(['a', 'b', 'c']);
  });
});
