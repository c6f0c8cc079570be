import { mapHeader } from '@madad/core';
import { parse } from 'csv-parse/sync';

const cellsOf = (line: string): string[] | undefined => {
  try {
    const rows = parse(line.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    return rows.length === 1 ? rows[0] : undefined;
  } catch {
    return undefined;
  }
};

/**
 * For a registry CSV (a row per member, the household columns repeated): whether two rows are of the
 * same household, by the column the header maps to `householdId`. A row that does not parse (a quoted
 * cell running over lines) is never the same, so at worst a boundary stays where it was.
 */
export function sameHouseholdRows(headerLine: string): (before: string, after: string) => boolean {
  const header = cellsOf(headerLine.replace(/\r?\n$/, '')) ?? [];
  const column = mapHeader('registry', header).columns.findIndex((c) => c?.field === 'householdId');
  if (column < 0) return () => false;
  const idOf = (line: string) => cellsOf(line)?.[column]?.trim() || undefined;
  return (before, after) => {
    const id = idOf(before);
    return id !== undefined && id === idOf(after);
  };
}
