import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesSource,
  lineEndAtOrAfter,
  planChunks,
} from '../../packages/adapters/src/registry/import/chunk-plan.js';

const encode = (text: string) => new TextEncoder().encode(text);

/** Lines of printable text (Urdu included, multi-byte in UTF-8), some blank, the last maybe unterminated. */
const fileText = fc
  .tuple(
    fc.array(
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', 'م', 'د', '٣', '{', '}'), maxLength: 40 }),
      {
        maxLength: 60,
      },
    ),
    fc.boolean(),
  )
  .map(([lines, terminated]) => lines.join('\n') + (terminated && lines.length > 0 ? '\n' : ''));

describe('planChunks', () => {
  it('covers the file exactly once, in order, with chunks that end just after a line end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileText,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 16 }),
        async (text, chunkBytes, window) => {
          const bytes = encode(text);

          const chunks = await planChunks(bytesSource(bytes), { chunkBytes, window });

          expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
          let at = 0;
          for (const chunk of chunks) {
            expect(chunk.start).toBe(at);
            expect(chunk.end).toBeGreaterThan(chunk.start);
            if (chunk.end < bytes.length) expect(bytes[chunk.end - 1]).toBe(0x0a);
            at = chunk.end;
          }
          expect(at).toBe(bytes.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits no line: the chunks, decoded and split into lines, are the file lines', async () => {
    await fc.assert(
      fc.asyncProperty(fileText, fc.integer({ min: 1, max: 50 }), async (text, chunkBytes) => {
        const bytes = encode(text);

        const chunks = await planChunks(bytesSource(bytes), { chunkBytes, window: 7 });
        const lines = chunks.flatMap((c) =>
          new TextDecoder().decode(bytes.subarray(c.start, c.end)).replace(/\n$/, '').split('\n'),
        );

        expect(lines).toEqual(text === '' ? [] : text.replace(/\n$/, '').split('\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('starts after a CSV header line when told where it ends, and keeps chunks near the aimed-at size', async () => {
    const text = `householdId,cnic\n${Array.from({ length: 100 }, (_, i) => `HH-${i},3520212345671`).join('\n')}\n`;
    const bytes = encode(text);
    const headerEnd = await lineEndAtOrAfter(bytesSource(bytes), 0);

    const chunks = await planChunks(bytesSource(bytes), { chunkBytes: 200, from: headerEnd });

    expect(headerEnd).toBe('householdId,cnic\n'.length);
    expect(chunks[0]?.start).toBe(headerEnd);
    // A line is at most 22 bytes: each chunk but the last is 200 to 221 bytes.
    for (const c of chunks.slice(0, -1)) expect(c.end - c.start).toBeGreaterThanOrEqual(200);
    for (const c of chunks.slice(0, -1)) expect(c.end - c.start).toBeLessThan(222);
  });

  it('never puts the neighbouring lines of one record in two chunks when told what a record is', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 80 }),
        async (sizes, chunkBytes) => {
          const lines = sizes.flatMap((rows, household) =>
            Array.from({ length: rows }, (_, member) => `HH-${household},member ${member}`),
          );
          const bytes = encode(`${lines.join('\n')}\n`);
          const idOf = (line: string) => line.split(',')[0];

          const chunks = await planChunks(bytesSource(bytes), {
            chunkBytes,
            window: 9,
            sameRecord: (before, after) => idOf(before) === idOf(after),
          });

          const owners = new Map<string, number>();
          let at = 0;
          for (const chunk of chunks) {
            expect(chunk.start).toBe(at);
            at = chunk.end;
            const text = new TextDecoder().decode(bytes.subarray(chunk.start, chunk.end));
            for (const line of text.replace(/\n$/, '').split('\n')) {
              const id = idOf(line) ?? '';
              expect(owners.get(id) ?? chunk.index, id).toBe(chunk.index);
              owners.set(id, chunk.index);
            }
          }
          expect(at).toBe(bytes.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a chunk size that is not a positive integer', async () => {
    await expect(planChunks(bytesSource(encode('a\n')), { chunkBytes: 0 })).rejects.toThrow(RangeError);
  });
});
