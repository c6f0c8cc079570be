import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type BackCheckReport,
  backCheckCsv,
  backCheckReport,
  builtInGazetteer,
  cachedGazetteer,
  computeRegistryHealth,
  DEFAULT_HEALTH_OPTIONS,
  drawSample,
  type HealthOptions,
  type InvitationOutcome,
  inviteHouseholdsToUpdate,
  isDueForUpdate,
  NotFoundError,
  parseBackCheckResults,
  type QualityHousehold,
  type RegistryHealthReport,
  type ReplyQueue,
  type SampleSpec,
  type StoredSample,
  sampleFromStored,
  storedSampleOf,
  yearsBefore,
} from '@madad/core';
import { DynamoDbPhoneLanguages } from '../../notifications/dynamodb-phone-languages.js';
import { dynamoGazetteerStore } from '../dynamodb-gazetteer.js';
import { DynamoDbInvitationLedger } from './dynamodb-invitation-ledger.js';
import { DynamoDbQualityStore } from './dynamodb-quality-store.js';
import {
  DynamoDbIdentityStatuses,
  readRegistryHouseholds,
  scanRegistryHouseholds,
} from './registry-reader.js';

/** What the quality jobs run against: the tables, and the outbound queue for invitations. */
export interface QualityJobContext {
  readonly doc: DynamoDBDocumentClient;
  readonly registryTable: string;
  readonly operationsTable: string;
  readonly replies?: ReplyQueue;
  readonly now: () => Date;
  readonly onProgress?: (households: number) => void;
}

const storeOf = (ctx: QualityJobContext) => new DynamoDbQualityStore(ctx.doc, ctx.registryTable);

/** `npx madad quality`: the registry's health, read in full, stored as the one report the console shows. */
export async function runRegistryHealthJob(
  ctx: QualityJobContext,
  options: Partial<Omit<HealthOptions, 'now'>> = {},
): Promise<RegistryHealthReport> {
  const report = await computeRegistryHealth(
    {
      pages: scanRegistryHouseholds(ctx.doc, ctx.registryTable),
      identities: new DynamoDbIdentityStatuses(ctx.doc, ctx.registryTable),
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    },
    { ...DEFAULT_HEALTH_OPTIONS, ...options, now: ctx.now() },
  );
  await storeOf(ctx).putHealthReport(report);
  return report;
}

/**
 * The sampling frame: each surveyed household's id and stratifying fields only (no members), so a
 * registry of millions fits in memory; the drawn households are read again in full by key.
 */
async function readFrame(ctx: QualityJobContext): Promise<QualityHousehold[]> {
  const frame: QualityHousehold[] = [];
  for await (const page of scanRegistryHouseholds(ctx.doc, ctx.registryTable)) {
    // Provisional households are not in the surveyed registry: a back-check re-visits surveys.
    for (const h of page) {
      if (h.status === 'provisional') continue;
      const { householdId, province, district, tehsil, enumerator, source } = h;
      frame.push({ householdId, province, district, tehsil, enumerator, source, phones: [], members: [] });
    }
    ctx.onProgress?.(frame.length);
  }
  return frame;
}

/** `npx madad sample draw`: draws, stores the sample and returns it with the validator's CSV. */
export async function drawBackCheckSampleJob(
  ctx: QualityJobContext,
  spec: SampleSpec,
): Promise<{ sample: StoredSample; csv: string }> {
  const sample = drawSample(await readFrame(ctx), spec);
  const stored = storedSampleOf(sample, ctx.now().toISOString());
  await storeOf(ctx).putSample(stored);
  const drawn = await readRegistryHouseholds(
    ctx.doc,
    ctx.registryTable,
    sample.households.map((h) => h.householdId),
  );
  return { sample: stored, csv: backCheckCsv(sample, drawn) };
}

/** `npx madad sample results`: compares the validator's file with the registry and stores the report. */
export async function importBackCheckResultsJob(
  ctx: QualityJobContext,
  input: { readonly sampleId: string; readonly text: string; readonly confidence?: number },
): Promise<{ report: BackCheckReport; rejected: { line: number; reason: string }[] }> {
  const stored = await storeOf(ctx).sample(input.sampleId);
  if (!stored) throw new NotFoundError(`No sample ${input.sampleId}`);
  const sample = sampleFromStored(stored);
  const { results, rejected } = parseBackCheckResults(input.text, sample);
  const households = await readRegistryHouseholds(
    ctx.doc,
    ctx.registryTable,
    results.map((r) => r.householdId),
  );
  for (const r of results) {
    if (!households.has(r.householdId))
      rejected.push({ line: 0, reason: `${r.householdId} is no longer in the registry` });
  }
  const report = backCheckReport({
    sample,
    results,
    households,
    confidence: input.confidence ?? stored.spec.confidence,
    at: ctx.now().toISOString(),
  });
  await storeOf(ctx).putSampleReport(report);
  return { report, rejected };
}

/**
 * `npx madad updates invite`: every household surveyed more than `olderThanYears` ago (at most
 * `limit` of them, registry order) is invited once per round to confirm or correct its data.
 */
export async function inviteDueHouseholdsJob(
  ctx: QualityJobContext,
  input: { readonly round: string; readonly olderThanYears: number; readonly limit: number },
): Promise<InvitationOutcome & { due: number }> {
  if (!ctx.replies) throw new Error('Invitations need the outbound SMS queue');
  const cutoff = yearsBefore(ctx.now(), input.olderThanYears);
  const due: QualityHousehold[] = [];
  for await (const page of scanRegistryHouseholds(ctx.doc, ctx.registryTable)) {
    due.push(...page.filter((h) => isDueForUpdate(h, cutoff)));
    ctx.onProgress?.(due.length);
    if (due.length >= input.limit) break;
  }
  const chosen = due.slice(0, input.limit);
  const outcome = await inviteHouseholdsToUpdate(
    {
      invitations: new DynamoDbInvitationLedger(ctx.doc, ctx.registryTable),
      replies: ctx.replies,
      phoneLanguages: new DynamoDbPhoneLanguages(ctx.doc, ctx.operationsTable),
      clock: { now: ctx.now },
      // The tehsil's Urdu name from the areas in force (an imported areas file), one Query per run.
      gazetteer: cachedGazetteer(
        dynamoGazetteerStore(ctx.doc, ctx.registryTable),
        { now: ctx.now },
        builtInGazetteer,
      ),
    },
    input.round,
    chosen,
  );
  return { ...outcome, due: chosen.length };
}
