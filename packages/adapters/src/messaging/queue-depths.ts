import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueId, type QueueId, queues } from '../resources.js';

export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
  readonly deadLetters: number;
}

async function attributes(sqs: SQSClient, url: string) {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(result.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** The DLQ's URL: the main queue's name with the DLQ suffix, resolved once and cached. */
const dlqUrls = new Map<string, string>();
async function dlqUrl(sqs: SQSClient, mainUrl: string, id: QueueId): Promise<string> {
  const cached = dlqUrls.get(mainUrl);
  if (cached) return cached;
  const name = mainUrl.split('/').pop() ?? '';
  const dlqName = name.replace(new RegExp(`${id}$`), deadLetterQueueId(queues[id]));
  const result = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
  const url = result.QueueUrl ?? '';
  dlqUrls.set(mainUrl, url);
  return url;
}

/** Depth of every queue and its DLQ, for stats pages and dashboards. */
export async function readQueueDepths(
  sqs: SQSClient,
  urls: Readonly<Record<QueueId, string>>,
): Promise<Record<string, QueueDepth>> {
  const entries = await Promise.all(
    (Object.keys(urls) as QueueId[]).map(async (id) => {
      const main = await attributes(sqs, urls[id]);
      const dead = await attributes(sqs, await dlqUrl(sqs, urls[id], id)).catch(() => ({
        visible: -1,
        inFlight: 0,
      }));
      return [id, { ...main, deadLetters: dead.visible }] as const;
    }),
  );
  return Object.fromEntries(entries);
}
