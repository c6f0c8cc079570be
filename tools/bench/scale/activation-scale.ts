/**
 * Activation of N households of one district on the embedded DynamoDB (dynalite), in process: the
 * previous plan (one chain of pages per district) against the work items of `planActivation` (score
 * bands, their chains run by `workers` consumers at once), each under its own campaign on the same
 * registry, with the same adapters the activation worker uses. Prints households per second of each.
 *
 *   node_modules/.bin/node --import tsx tools/bench/scale/activation-scale.ts [--households 20000] [--workers 4]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  batchPutAll,
  createDocumentClient,
  DynamoDbActivationProgress,
  DynamoDbAreaIndex,
  DynamoDbEnrollmentStore,
  DynamoDbStats,
  householdItems,
  loadRuntimeConfig,
  queueEnvName,
  queues,
  tableEnvName,
  tables,
} from '@madad/adapters';
import {
  type ActivationWork,
  type Campaign,
  capShardsFor,
  expandArea,
  planActivation,
  readActivationProgress,
  ruleSetVersionOf,
} from '@madad/core';
import { createDynamoDbClient } from '@madad/local/aws-clients';
import { ensureTable } from '@madad/local/bootstrap';
import { startDynamoDbEmulator } from '@madad/local/emulators';

function campaignOf(campaignId: string, households: number): Campaign {
  const declared = {
    campaignId,
    name: 'Scale floods',
    nameUr: 'سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-09-30T00:00:00Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: [],
      amounts: { topUp: 6000, newBeneficiary: 12_000 },
      regularProgramme: 'KAFAALAT',
    },
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: ruleSetVersionOf(campaignId, 1),
    createdBy: 'bench',
    createdAt: '2026-08-01T00:00:00Z',
    maxHouseholds: households * 2,
    budgetCap: households * 2 * 6000,
  } as Campaign;
  return { ...declared, capShards: capShardsFor(declared) };
}

async function main() {
  const { values } = parseArgs({
    options: { households: { type: 'string', default: '20000' }, workers: { type: 'string', default: '4' } },
  });
  const households = Number(values.households);
  const workers = Number(values.workers);
  const dir = await mkdtemp(join(tmpdir(), 'madad-activation-scale-'));
  const emulator = await startDynamoDbEmulator({ dataDir: join(dir, 'data') });
  try {
    // Tables by their local names; the queues are named only because the configuration asks for them.
    const env: Record<string, string> = {
      MADAD_DYNAMODB_ENDPOINT: emulator.endpoint,
      AWS_REGION: 'us-east-1',
      MADAD_STAGE: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    for (const id of Object.keys(tables) as (keyof typeof tables)[]) env[tableEnvName(id)] = `scale-${id}`;
    for (const id of Object.keys(queues) as (keyof typeof queues)[])
      env[queueEnvName(id)] = `http://127.0.0.1:1/000000000000/scale-${id}`;
    const config = loadRuntimeConfig(env);
    const admin = createDynamoDbClient({ endpoint: emulator.endpoint, region: 'us-east-1' });
    await ensureTable(admin, tables.registry, config.tables.registry);
    await ensureTable(admin, tables.operations, config.tables.operations);
    const doc = createDocumentClient(config);

    // All below the threshold, in the programme: every household is topped up.
    let started = Date.now();
    const items = Array.from({ length: households }, (_, i) =>
      householdItems('pepper', {
        householdId: `HH-${String(i).padStart(7, '0')}`,
        province: 'Sindh',
        district: 'Dadu',
        tehsil: 'Johi',
        pmtScore: ((i * 7919) % 3200) / 100,
        surveyedAt: '2022-09-12',
        programmes: ['KAFAALAT'],
        phones: [],
        source: 'survey',
        members: [
          {
            cnic: `41303${String(1_000_000 + i).padStart(7, '0')}2`,
            name: `Zainab ${i}`,
            gender: 'female',
            birthYear: 1980,
            relation: 'head',
            maritalStatus: 'married',
            disabled: false,
          },
        ],
      }),
    ).flat();
    await batchPutAll(doc, config.tables.registry, items);
    console.log(
      `registry: ${households} households (${items.length} items) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    for (const [label, plan] of [
      ['one chain per district', (c: Campaign) => [{ campaignId: c.campaignId, district: 'Dadu', page: 0 }]],
      ['score bands (work items)', (c: Campaign) => planActivation(c, c.rules.pmtThreshold)],
    ] as const) {
      const campaign = campaignOf(label.startsWith('one') ? 'C-CHAIN' : 'C-BANDS', households);
      const queue: ActivationWork[] = [...plan(campaign)];
      const progress = new DynamoDbActivationProgress(doc, config.tables.operations);
      const deps = {
        campaigns: { get: async () => ({ ...campaign, revision: 1 }) },
        areaIndex: new DynamoDbAreaIndex(doc, config.tables.registry),
        enrollments: new DynamoDbEnrollmentStore(doc, config.tables.operations),
        stats: new DynamoDbStats(doc, config.tables.operations),
        replies: { enqueue: async () => undefined },
        next: { enqueueAll: async (next: readonly ActivationWork[]) => void queue.push(...next) },
        progress,
        clock: { now: () => new Date() },
        pageSize: 100,
      };
      let enrolled = 0;
      let active = 0;
      started = Date.now();
      // `workers` consumers, as the activation queue's pollers: each takes the next page when free.
      await new Promise<void>((resolve, reject) => {
        const pump = () => {
          if (queue.length === 0 && active === 0) return resolve();
          while (active < workers && queue.length > 0) {
            const work = queue.shift() as ActivationWork;
            active++;
            expandArea(deps, work).then((r) => {
              enrolled += r.enrolled + r.waitlisted;
              active--;
              pump();
            }, reject);
          }
        };
        pump();
      });
      const seconds = (Date.now() - started) / 1000;
      const read = await readActivationProgress({ progress }, campaign.campaignId);
      console.log(
        `${label}: ${enrolled} enrolled in ${seconds.toFixed(1)} s = ${(enrolled / seconds).toFixed(0)} households/s` +
          (read.items > 0
            ? ` (progress: ${read.itemsDone}/${read.items} items, ${read.households} households read)`
            : ''),
      );
    }
    doc.destroy();
    admin.destroy();
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
