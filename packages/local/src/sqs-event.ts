import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';

/** Builds the `SQSEvent` Lambda's event source mapping would deliver for these received messages. */
export function buildSqsEvent(messages: readonly Message[], queueArn: string, region: string): SQSEvent {
  return { Records: messages.map((message) => buildSqsRecord(message, queueArn, region)) };
}

function buildSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  if (!message.MessageId || !message.ReceiptHandle) {
    throw new Error('ReceiveMessage returned a message without MessageId or ReceiptHandle');
  }
  const system = message.Attributes ?? {};
  const messageAttributes: Record<string, SQSMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = toRecordAttribute(value);
  }
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body ?? '',
    attributes: {
      ...system,
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? String(Date.now()),
      SenderId: system.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function toRecordAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: base64(value.BinaryValue) } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map(base64),
    dataType: value.DataType ?? 'String',
  };
}

/** How a batch ended: the message ids to delete, or the reason nothing may be deleted. */
export type BatchOutcome =
  | { readonly kind: 'partial'; readonly failedIds: ReadonlySet<string> }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Reads a handler's result the way Lambda does with `ReportBatchItemFailures`: no result or an empty
 * list is full success; an identifier that is empty or not in the batch fails the whole batch.
 */
export function interpretBatchResponse(result: unknown, event: SQSEvent): BatchOutcome {
  if (result === undefined || result === null) return { kind: 'partial', failedIds: new Set() };
  if (typeof result !== 'object') {
    return { kind: 'failed', reason: `handler returned ${typeof result}, not a batch response` };
  }
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'partial', failedIds: new Set() };
  if (!Array.isArray(failures)) return { kind: 'failed', reason: 'batchItemFailures is not an array' };
  const inBatch = new Set(event.Records.map((record) => record.messageId));
  const failedIds = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !inBatch.has(id)) {
      return { kind: 'failed', reason: `invalid itemIdentifier ${JSON.stringify(id)}` };
    }
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
}
