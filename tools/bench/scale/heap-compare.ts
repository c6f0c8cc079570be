/**
 * What grows between two heap snapshots of the scale bench (`SCALE_HEAP_SNAPSHOT=dir`, written as a
 * size's run ends): objects counted and their own (shallow) sizes summed by constructor name, the
 * largest differences first. Two sizes' snapshots tell what the handlers' process keeps per household.
 *
 *   node --import tsx tools/bench/scale/heap-compare.ts SMALL.heapsnapshot LARGE.heapsnapshot [TOP]
 */
import { readFile } from 'node:fs/promises';

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[]] } };
  readonly nodes: number[];
  readonly strings: string[];
}

export interface ConstructorTotal {
  readonly count: number;
  readonly bytes: number;
}

/** Objects and their own bytes by `type:name` (e.g. `object:Map`, `string`, `code`), from a snapshot's JSON. */
export function totalsByConstructor(snapshot: Snapshot): Map<string, ConstructorTotal> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const totals = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] as number] ?? '?';
    // Strings, code and arrays are grouped by type; objects and closures by their constructor's name.
    const name =
      type === 'object' || type === 'closure' || type === 'native'
        ? `${type}:${snapshot.strings[snapshot.nodes[i + nameAt] as number]}`
        : type;
    const total = totals.get(name) ?? { count: 0, bytes: 0 };
    total.count += 1;
    total.bytes += snapshot.nodes[i + sizeAt] as number;
    totals.set(name, total);
  }
  return totals;
}

/** The names whose bytes grew most from `small` to `large`. */
export function largestGrowth(
  small: Map<string, ConstructorTotal>,
  large: Map<string, ConstructorTotal>,
  top: number,
): { name: string; small: ConstructorTotal; large: ConstructorTotal }[] {
  const none = { count: 0, bytes: 0 };
  return [...large.entries()]
    .map(([name, total]) => ({ name, small: small.get(name) ?? none, large: total }))
    .sort((a, b) => b.large.bytes - b.small.bytes - (a.large.bytes - a.small.bytes))
    .slice(0, top);
}

async function load(path: string): Promise<Map<string, ConstructorTotal>> {
  return totalsByConstructor(JSON.parse(await readFile(path, 'utf8')) as Snapshot);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').at(-1) ?? '')) {
  const [smallPath, largePath, topArg] = process.argv.slice(2);
  if (!smallPath || !largePath) throw new Error('usage: heap-compare.ts SMALL LARGE [TOP]');
  const [small, large] = [await load(smallPath), await load(largePath)];
  const sum = (m: Map<string, ConstructorTotal>) => [...m.values()].reduce((s, t) => s + t.bytes, 0) / 1e6;
  console.log(`total self size: ${sum(small).toFixed(1)} MB -> ${sum(large).toFixed(1)} MB`);
  for (const row of largestGrowth(small, large, Number(topArg ?? 25)))
    console.log(
      `${row.name.slice(0, 60).padEnd(60)} ${String(row.small.count).padStart(9)} -> ${String(row.large.count).padStart(9)}  ${(row.small.bytes / 1e6).toFixed(2).padStart(8)} -> ${(row.large.bytes / 1e6).toFixed(2).padStart(8)} MB`,
    );
}
