import { importDecoder } from '@madad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesSource,
  lineEndAtOrAfter,
  planChunks,
} from '../../packages/adapters/src/registry/import/chunk-plan.js';
import { sameHouseholdRows } from '../../packages/adapters/src/registry/import/csv-households.js';

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

const CSV_HEADER = 'cnic,name,gender,birthYear,status';
/** A CSV cell: plain, or quoted and holding commas, doubled quotes and newlines (CRLF too). */
const csvCell = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'م', '٣'), maxLength: 8 }),
  fc
    .string({ unit: fc.constantFrom('a', ',', '""', '\n', '\r\n', 'د', ' '), maxLength: 12 })
    .map((text) => `"${text}"`),
);
const csvFile = fc
  .array(fc.array(csvCell, { minLength: 5, maxLength: 5 }), { maxLength: 40 })
  .map((rows) => `${CSV_HEADER}\n${rows.map((cells) => `${cells.join(',')}\n`).join('')}`);

/** The records an import decoder reads from lines pushed one by one (first line number and raw text). */
function decodeRecords(text: string, header?: string): { line: number; raw: string }[] {
  const decoder = importDecoder('identity', { format: 'csv', ...(header ? { header } : {}) });
  const lines = text.replace(/\n$/, '').split('\n');
  const records = text === '' ? [] : lines.flatMap((line, i) => decoder.push(line.replace(/\r$/, ''), i + 1));
  return [...records, ...decoder.end()].map(({ line, raw }) => ({ line, raw }));
}

describe('planChunks on a CSV file whose quoted cells hold newlines', () => {
  it('ends every chunk at a record end, never inside quotes, so chunks decode to the records of the whole file', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvFile,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 32 }),
        async (text, chunkBytes, window, segment) => {
          const bytes = encode(text);
          const headerEnd = encode(`${CSV_HEADER}\n`).length;

          const chunks = await planChunks(bytesSource(bytes), {
            chunkBytes,
            window,
            segment,
            from: headerEnd,
            quoted: true,
          });

          const whole = decodeRecords(text);
          const parts: { line: number; raw: string }[] = [];
          let firstLine = 2;
          for (const chunk of chunks) {
            const part = new TextDecoder().decode(bytes.subarray(chunk.start, chunk.end));
            // Every chunk ends outside quotes: its quotes are paired.
            expect((part.match(/"/g) ?? []).length % 2).toBe(0);
            for (const r of decodeRecords(part, CSV_HEADER))
              parts.push({ ...r, line: r.line + firstLine - 1 });
            firstLine += part.replace(/\n$/, '').split('\n').length;
          }
          expect(parts).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('moves a boundary that falls on a newline inside a quoted cell to the end of that record', async () => {
    const header = 'CNIC No,Full Name,Sex\n';
    const first = '35202-1234567-1,"Ali\nKhan",M\n';
    const second = '35202-7654321-2,Zainab,F\n';
    const bytes = encode(header + first + second);
    // The first chunk is aimed to end just after the newline inside "Ali\nKhan".
    const chunkBytes = first.indexOf('\n') + 1;

    const chunks = await planChunks(bytesSource(bytes), { chunkBytes, from: header.length, quoted: true });

    expect(chunks.map((c) => [c.start, c.end])).toEqual([
      [header.length, header.length + first.length],
      [header.length + first.length, bytes.length],
    ]);
  });

  it('keeps a registry household whose member rows hold quoted newlines in one chunk', async () => {
    const header =
      'HH_ID,Province,District,Tehsil,PMT_Score,Survey_Date,CNIC_No,Member_Name,Sex,Year_of_Birth,Relation_to_Head';
    const row = (hh: string, cnic: string, name: string) =>
      `${hh},Sindh,Jacobabad,Thul,18.5,2022-05-01,${cnic},${name},M,1980,HEAD\n`;
    const rows = [
      row('HH-1', '41503-7770001-1', '"Ghulam\nNabi"'),
      row('HH-1', '41503-7770002-2', '"Zainab\nBibi"'),
      row('HH-2', '41503-7770003-3', 'Ali'),
      row('HH-2', '41503-7770004-4', '"Sana\n"'),
      row('HH-3', '41503-7770005-5', 'Asma'),
    ];
    const bytes = encode(`${header}\n${rows.join('')}`);
    const from = header.length + 1;

    for (let chunkBytes = 1; chunkBytes < bytes.length; chunkBytes += 7) {
      const chunks = await planChunks(bytesSource(bytes), {
        chunkBytes,
        window: 5,
        segment: 11,
        from,
        quoted: true,
        sameRecord: sameHouseholdRows(header),
      });

      const households = chunks.map((c) =>
        [...new TextDecoder().decode(bytes.subarray(c.start, c.end)).matchAll(/^HH-\d/gm)].map((m) => m[0]),
      );
      const owner = new Map<string, number>();
      households.forEach((ids, chunk) => {
        for (const id of ids) {
          expect(owner.get(id) ?? chunk, `${id} at ${chunkBytes} bytes a chunk`).toBe(chunk);
          owner.set(id, chunk);
        }
      });
      expect([...owner.keys()]).toEqual(['HH-1', 'HH-2', 'HH-3']);
    }
  });
});
