import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface RetriableRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly attributes: { readonly ApproximateReceiveCount?: string };
}

const MAX_VISIBILITY_SECONDS = 12 * 3600;

/** Seconds to wait before delivery `receiveCount + 1`: doubling from `baseSeconds`, capped at SQS's 12 h. */
export function backoffSeconds(receiveCount: number, baseSeconds: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.round(baseSeconds * 2 ** Math.max(0, receiveCount - 1)));
}

/**
 * Pushes failed messages' next delivery out exponentially, so the few attempts before the DLQ span a
 * long outage (a database down for an hour, a provider down for a morning) instead of a few minutes.
 * Best effort: if it fails, the queue's own visibility timeout still brings the messages back.
 */
export async function backOffFailedRecords(
  sqs: SQSClient,
  queueUrl: string,
  records: readonly RetriableRecord[],
  baseSeconds: number,
): Promise<void> {
  for (let i = 0; i < records.length; i += 10) {
    const part = records.slice(i, i + 10);
    try {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: part.map((r, n) => ({
            Id: String(n),
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout: backoffSeconds(Number(r.attributes.ApproximateReceiveCount ?? 1), baseSeconds),
          })),
        }),
      );
    } catch {
      // The default visibility timeout applies instead; nothing is lost.
    }
  }
}

/** Base of the backoff: `MADAD_RETRY_BASE_SECONDS`, else the queue's visibility timeout. */
export function retryBaseSeconds(
  visibilityTimeoutSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const configured = Number(env.MADAD_RETRY_BASE_SECONDS);
  return Number.isFinite(configured) && configured > 0 ? configured : visibilityTimeoutSeconds;
}
