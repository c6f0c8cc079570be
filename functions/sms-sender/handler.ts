import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import {
  DynamoDbOutboundLog,
  getRuntime,
  HttpSmsProvider,
  LocalSmsProvider,
  requireEnv,
} from '@madad/adapters';
import { deliverReply, maskPhone, OutboundSmsSchema, type SmsProvider } from '@madad/core';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger({ serviceName: 'sms-sender' });
const processor = new BatchProcessor(EventType.SQS);
const { config, doc } = getRuntime();
const log = new DynamoDbOutboundLog(doc, config.tables.operations);

// Locally nothing leaves the machine; in the cloud an aggregator URL and key must be configured.
const provider: SmsProvider = process.env.MADAD_SMS_PROVIDER_URL
  ? new HttpSmsProvider(process.env.MADAD_SMS_PROVIDER_URL, requireEnv('MADAD_SMS_PROVIDER_KEY'))
  : new LocalSmsProvider(Number(process.env.MADAD_SMS_FAIL_RATE ?? 0));

/** Delivers queued replies; a provider failure fails only that record, retried by the queue. */
const lambdaHandler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const message = OutboundSmsSchema.parse(JSON.parse(record.body));
      const outcome = await deliverReply({ provider, log, now: () => new Date() }, message);
      logger.debug('Reply delivered', { id: message.id, to: maskPhone(message.to), outcome });
    },
    processor,
    { context },
  );

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
