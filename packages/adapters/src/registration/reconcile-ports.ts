import type { ReconcileBatchDeps } from '@madad/core';
import { systemClock } from '@madad/core';
import { DynamoDbAppealStore } from '../appeals/dynamodb-appeal-store.js';
import { DynamoDbCampaignStore } from '../campaigns/dynamodb-campaign-store.js';
import { DynamoDbEnrollmentStore } from '../campaigns/dynamodb-enrollment-store.js';
import { SqsJsonQueue, SqsReplyQueue } from '../messaging/sqs-queue.js';
import { DynamoDbRegistryLookup } from '../registry/dynamodb-registry-lookup.js';
import type { Runtime } from '../runtime/runtime.js';
import { DynamoDbStats } from '../stats/dynamodb-stats.js';
import { DynamoDbCnicPhones } from './dynamodb-cnic-phones.js';
import { DynamoDbDecisionRecords } from './dynamodb-decision-records.js';
import { DynamoDbReferenceIndex } from './dynamodb-reference-index.js';
import { DynamoDbRegistrationStore } from './dynamodb-registration-store.js';

/**
 * The DynamoDB and SQS side of `reconcileBatch`, built once per process from its clients; the CNIC
 * pepper is added per invocation (it is a secret, read through its cache).
 */
export function reconcilePorts(
  { config, doc, sqs }: Runtime,
  env: NodeJS.ProcessEnv = process.env,
): Omit<ReconcileBatchDeps, 'pepper'> {
  const { operations, registry } = config.tables;
  const registrations = new DynamoDbRegistrationStore(doc, operations);
  const registryLookup = new DynamoDbRegistryLookup(doc, registry);
  // Messages a phone may send an hour before it is rate-limited (default in the core).
  const perPhoneHour = Number(env.MADAD_MAX_MESSAGES_PER_PHONE_HOUR);
  return {
    appeals: new DynamoDbAppealStore(doc, operations),
    registry: registryLookup,
    // Members' SIMs, read only for a phone the applicant's own partition does not tie to the household.
    members: registryLookup,
    registrations,
    phones: registrations,
    cnicPhones: new DynamoDbCnicPhones(doc, operations),
    references: new DynamoDbReferenceIndex(doc, operations),
    decisions: new DynamoDbDecisionRecords(doc, registry),
    enrollments: new DynamoDbEnrollmentStore(doc, operations),
    campaigns: new DynamoDbCampaignStore(doc, operations),
    replies: new SqsReplyQueue(new SqsJsonQueue(sqs, config.queues.outbound)),
    stats: new DynamoDbStats(doc, operations),
    clock: systemClock,
    ...(perPhoneHour > 0 ? { messagesPerPhoneHour: perPhoneHour } : {}),
  };
}
