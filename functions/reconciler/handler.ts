import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  DynamoDbRegistrationStore,
  DynamoDbRegistryLookup,
  getRuntime,
  loadSecrets,
  SqsJsonQueue,
  SqsReplyQueue,
} from '@madad/adapters';
import {
  type ReconcileDeps,
  type RegistrationMessage,
  RegistrationMessageSchema,
  reconcileOne,
  resolveBatch,
  systemClock,
} from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger({ serviceName: 'reconciler' });
const processor = new BatchProcessor(EventType.SQS);
const { config, doc, sqs } = getRuntime();
const registry = new DynamoDbRegistryLookup(doc, config.tables.registry);
const registrations = new DynamoDbRegistrationStore(doc, config.tables.operations);
const replies = new SqsReplyQueue(new SqsJsonQueue(sqs, config.queues.outbound));

function parseRecord(record: SQSRecord): RegistrationMessage | undefined {
  try {
    const parsed = RegistrationMessageSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reconciles a batch of registrations: one registry lookup for the whole batch, then each record on
 * its own, so a poison record fails alone (and reaches the DLQ) while the rest succeed.
 */
const lambdaHandler = async (event: SQSEvent, context: Context) => {
  const deps: ReconcileDeps = { registry, registrations, replies, clock: systemClock, pepper: (await loadSecrets()).cnicPepper };
  const valid = event.Records.flatMap((record) => {
    const message = parseRecord(record);
    return message ? [{ record, message }] : [];
  });
  const { parsed, matches } = await resolveBatch(deps, valid.map((v) => v.message));
  const byRecord = new Map(valid.map((v, i) => [v.record.messageId, parsed[i]]));
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const item = byRecord.get(record.messageId);
      if (!item) {
        logger.error('Unreadable registration message, left for the DLQ', { sqsMessageId: record.messageId });
        throw new Error(`Unreadable registration message ${record.messageId}`);
      }
      const outcome = await reconcileOne(deps, item, matches);
      logger.debug('Reconciled', { messageId: item.message.messageId, outcome });
    },
    processor,
    { context },
  );
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
