import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployOptions } from '../deploy-options.js';
import type { StageConfig } from '../stage.js';

export interface SmsInboundTopicProps {
  readonly stage: StageConfig;
  readonly key: IKey;
  readonly topic: NonNullable<DeployOptions['smsInboundTopic']>;
  /** `functions/sns-inbound`: reshapes each notification into a registrations-queue message. */
  readonly handler: IFunction;
}

/** The service principal of AWS End User Messaging SMS, which publishes two-way SMS to the topic. */
const endUserMessaging = new ServicePrincipal('sms-voice.amazonaws.com');

/**
 * Two-way SMS through AWS End User Messaging: the phone number publishes each inbound SMS to an SNS
 * topic, and the sns-inbound function puts it on the registrations queue in the webhook's shape. An SNS
 * subscription straight to SQS cannot reshape the payload, hence the function. SNS invokes it
 * asynchronously: after Lambda's own retries a failed notification lands in `failedDeliveries`.
 */
export class SmsInboundTopic extends Construct {
  readonly topic: ITopic;
  readonly failedDeliveries: Queue;

  constructor(scope: Construct, id: string, props: SmsInboundTopicProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    if (props.topic.kind === 'existing') {
      // Its policies (publish by sms-voice, and its key's) belong to whoever owns the topic.
      this.topic = Topic.fromTopicArn(this, 'Topic', props.topic.arn);
    } else {
      const topic = new Topic(this, 'Topic', {
        displayName: `Madad ${props.stage.name} inbound SMS`,
        masterKey: props.key,
        enforceSSL: true,
      });
      // Both conditions guard against the confused deputy: only this account's phone numbers publish.
      topic.addToResourcePolicy(
        new PolicyStatement({
          principals: [endUserMessaging],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
      props.key.addToResourcePolicy(
        new PolicyStatement({
          principals: [endUserMessaging],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': `arn:${partition}:sms-voice:${region}:${account}:*` },
          },
        }),
      );
      this.topic = topic;
    }

    this.failedDeliveries = new Queue(this, 'FailedDeliveries', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    props.handler.addEventSource(new SnsEventSource(this.topic));
    props.handler.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failedDeliveries),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    Validations.of(this.failedDeliveries).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the sns-inbound function (its on-failure ' +
        'destination, which cdk-nag does not recognise as a DLQ); it is alarmed and replayed by hand.',
    });
  }
}
