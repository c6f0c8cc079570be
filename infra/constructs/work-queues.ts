import {
  deadLetterQueueId,
  type QueueId,
  type QueueSpec,
  queues,
  visibilityTimeoutSeconds,
} from '@madad/adapters/resources';
import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface WorkQueuesProps {
  readonly key: IKey;
}

export interface WorkQueue {
  readonly spec: QueueSpec;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/** SQS maximum; a DLQ keeps messages as long as possible so nothing expires before a redrive. */
const deadLetterRetention = Duration.days(14);

/**
 * Reusing a data key for an hour keeps KMS calls (and their per-account quota) flat during a surge of
 * hundreds of messages a second; the key material still never leaves KMS.
 */
const dataKeyReuse = Duration.hours(1);

/** The queues described in `resources.ts`, each with its dead-letter queue. */
export class WorkQueues extends Construct {
  private readonly byId = new Map<QueueId, WorkQueue>();

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    for (const spec of Object.values(queues) as QueueSpec[]) {
      const encrypted = {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        dataKeyReuse,
        enforceSSL: true,
      };
      const deadLetterQueue = new Queue(this, deadLetterQueueId(spec), {
        ...encrypted,
        retentionPeriod: deadLetterRetention,
      });
      const queue = new Queue(this, spec.id, {
        ...encrypted,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(spec)),
        retentionPeriod: Duration.days(spec.retentionDays),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
      this.byId.set(spec.id as QueueId, { spec, queue, deadLetterQueue });
    }
  }

  get all(): WorkQueue[] {
    return [...this.byId.values()];
  }

  get(id: QueueId): WorkQueue {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`No queue ${id} in resources.ts`);
    return entry;
  }
}
