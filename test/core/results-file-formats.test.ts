import { parseResultsFile, ValidationError } from '@madad/core';
import { describe, expect, it } from 'vitest';

const PAID = 'P-0123456789ABCDEF';
const FAILED = 'P-0123456789ABCDEG';

/** The line numbers a refused file names (ValidationError details). */
function refusedLines(body: string): number[] {
  try {
    parseResultsFile(body, 'text/csv');
  } catch (error) {
    if (error instanceof ValidationError) return (error.details as { line: number }[]).map((p) => p.line);
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('parseResultsFile (bank result files as banks and spreadsheets write them)', () => {
  it('reads a file with a UTF-8 byte order mark before the header (Excel "CSV UTF-8")', () => {
    const csv = `\uFEFFpaymentReference,status,reason\r\n${PAID},PAID,\r\n`;

    expect(parseResultsFile(csv, 'text/csv')).toEqual([{ paymentReference: PAID, status: 'PAID' }]);
  });

  it('reads a byte order mark without a header, and in a JSON file', () => {
    expect(parseResultsFile(`\uFEFF${PAID},paid\n`, 'text/csv')).toEqual([
      { paymentReference: PAID, status: 'PAID' },
    ]);
    expect(
      parseResultsFile(`\uFEFF[{"paymentReference":"${PAID}","status":"PAID"}]`, 'application/json'),
    ).toHaveLength(1);
  });

  it('reads the same results from CRLF, LF and mixed line endings', () => {
    const rows = [
      'paymentReference,status,reason,paidAt',
      `${PAID},PAID,,2026-12-01T10:00:00Z`,
      `${FAILED},FAILED,account closed,`,
    ];
    const expected = parseResultsFile(rows.join('\n'), 'text/csv');

    expect(parseResultsFile(`${rows.join('\r\n')}\r\n`, 'text/csv')).toEqual(expected);
    expect(parseResultsFile(`${rows[0]}\r\n${rows[1]}\n${rows[2]}\r\n`, 'text/csv')).toEqual(expected);
    expect(expected).toEqual([
      { paymentReference: PAID, status: 'PAID', paidAt: '2026-12-01T10:00:00Z' },
      { paymentReference: FAILED, status: 'FAILED', reason: 'account closed' },
    ]);
  });

  it('reads a quoted reason holding a newline, a comma and a quote as one field', () => {
    const csv = `paymentReference,status,reason\r\n${FAILED},FAILED,"Account closed,\r\nsee ""branch"" note"\r\n${PAID},PAID,\r\n`;

    expect(parseResultsFile(csv, 'text/csv')).toEqual([
      { paymentReference: FAILED, status: 'FAILED', reason: 'Account closed,\r\nsee "branch" note' },
      { paymentReference: PAID, status: 'PAID' },
    ]);
  });

  it('names the file line of a bad row after a multi-line reason and comment lines', () => {
    const csv = [
      '# bank batch 42',
      'paymentReference,status,reason',
      `${FAILED},FAILED,"two`,
      'lines"',
      '',
      'not-a-ref,MAYBE,',
    ].join('\r\n');

    expect(refusedLines(csv)).toEqual([6]);
  });

  it('refuses a file with a quote never closed, saying so', () => {
    expect(() => parseResultsFile(`${FAILED},FAILED,"never closed\n${PAID},PAID\n`, 'text/csv')).toThrow(
      /not valid CSV/,
    );
  });
});
