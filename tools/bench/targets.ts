import { SEGMENTS_PER_REPLY_TARGET } from './reply-segments.js';
import type { BenchResult } from './run-bench.js';

/** One of issue 8's targets, checked against a measured figure. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: number;
  readonly limit: number;
  readonly unit: string;
  readonly met: boolean;
  /** How far off, when missed: e.g. "1.9x the limit". */
  readonly gap?: string;
}

function atMost(target: string, measured: number, limit: number, unit: string): TargetCheck {
  const met = measured <= limit;
  return {
    target,
    measured,
    limit,
    unit,
    met,
    ...(met ? {} : { gap: `${(measured / limit).toFixed(2)}x the limit` }),
  };
}

function atLeast(target: string, measured: number, limit: number, unit: string): TargetCheck {
  const met = measured >= limit;
  return {
    target,
    measured,
    limit,
    unit,
    met,
    ...(met ? {} : { gap: `${((measured / limit) * 100).toFixed(0)}% of the limit` }),
  };
}

/** The targets, judged on the figures as measured (never adjusted to pass). */
export function evaluateTargets(r: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const { unique, duplicate } = r.reconcile;
  const cost = r.cost.perMillion;
  return [
    atLeast('Intake at least 0.7 of the raw queue-send rate', r.intake.ratio, 0.7, 'ratio'),
    atMost(
      'Reconciliation overhead beyond the database work (replayed writes and reads), unique',
      unique.overheadVsDatabase,
      0.3,
      'fraction',
    ),
    atMost(
      'Reconciliation overhead beyond the database work (replayed writes and reads), duplicates',
      duplicate.overheadVsDatabase,
      0.3,
      'fraction',
    ),
    atMost(
      'Reconciliation overhead beyond the replayed writes only, unique',
      unique.overheadVsWrites,
      0.3,
      'fraction',
    ),
    atMost('Duplicates cost at most 1 write each (all functions)', duplicate.costs.writes, 1, 'writes'),
    atMost('At most 3 write units per unique registration', unique.costs.writeUnits, 3, 'WCU'),
    atMost('At most 1 read unit per unique registration', unique.costs.readUnits, 1, 'RCU'),
    atMost('Cloud cost under $3 per million unique registrations, SMS excluded', cost.unique.total, 3, 'USD'),
    atMost(
      'Cloud cost under $3 per million duplicate registrations, SMS excluded',
      cost.duplicate.total,
      3,
      'USD',
    ),
    atMost(
      'Cloud cost under $3 per million registrations in the 2020 mix, SMS excluded',
      cost.mix2020.total,
      3,
      'USD',
    ),
    atMost(
      'Mean SMS segments a reply in the 2020 mix',
      r.cost.sms.segments.mix2020,
      SEGMENTS_PER_REPLY_TARGET,
      'segments',
    ),
  ];
}
