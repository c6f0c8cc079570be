import type { SQSClient } from '@aws-sdk/client-sqs';
import { backOffFailedRecords } from '@madad/adapters';
import type { MiddlewareObj } from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * A batch response that may also name failures no retry cures (an unreadable body): they are reported
 * to SQS like the others, so that they reach the DLQ, but not backed off.
 */
export interface SqsBatchOutcome extends SQSBatchResponse {
  readonly final?: readonly string[];
}

/**
 * Middleware of an SQS consumer that reports batch item failures: the records that failed come back
 * later and later (exponential visibility, `backOffFailedRecords`), so the few attempts before the DLQ
 * span a long outage; when the handler throws, the whole batch does. SQS is handed only
 * `batchItemFailures`.
 */
export function sqsRetryBackoff(options: {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly baseSeconds: number;
}): MiddlewareObj<SQSEvent, SqsBatchOutcome> {
  const backOff = (records: SQSEvent['Records']) =>
    records.length > 0
      ? backOffFailedRecords(options.sqs, options.queueUrl, records, options.baseSeconds)
      : Promise.resolve();
  return {
    after: async (request) => {
      const response = request.response;
      if (!response) return;
      const final = new Set(response.final ?? []);
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      await backOff(request.event.Records.filter((r) => failed.has(r.messageId) && !final.has(r.messageId)));
      request.response = { batchItemFailures: response.batchItemFailures };
    },
    onError: async (request) => {
      await backOff(request.event.Records);
    },
  };
}
