import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MadadStack } from '../../infra/madad-stack.js';
import {
  actionsOn,
  allFeatures,
  arnOf,
  logicalId,
  refOf,
  statementsOfRole,
  synthesizeStage,
} from './synthesize-stage.js';

const existingTopicArn = 'arn:aws:sns:ap-south-1:123456789012:eum-two-way-8171';

describe('two-way SMS through an SNS topic the stack creates', () => {
  let stack: MadadStack;
  let template: Template;
  const inbound = () => {
    if (!stack.smsInbound) throw new Error('smsInboundTopic is on, so the SNS path should exist');
    return stack.smsInbound;
  };

  beforeAll(() => {
    ({ stack, template } = synthesizeStage('prod', { context: allFeatures, bundle: false }));
  });

  it('encrypts the topic with the data key and lets only this account’s End User Messaging publish', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: arnOf(stack.node.findChild('DataKey')),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [refOf(inbound().topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('lets End User Messaging use the key for the encrypted topic, for this account’s numbers only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });

  it('subscribes the sns-inbound function, which reshapes each SMS for the registrations queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: refOf(inbound().topic),
      Endpoint: arnOf(stack.lambda('sns-inbound').function),
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: refOf(inbound().topic),
    });
  });

  it('keeps a notification that still fails after two retries in an encrypted failed-deliveries queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: refOf(stack.lambda('sns-inbound').function),
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arnOf(inbound().failedDeliveries) } },
    });
    const queue = template.toJSON().Resources[logicalId(inbound().failedDeliveries)].Properties;
    expect(queue).toMatchObject({
      KmsMasterKeyId: arnOf(stack.node.findChild('DataKey')),
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('alarms on the first failed delivery', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(inbound().failedDeliveries), 'QueueName'] } },
      ],
      Threshold: 0,
      AlarmActions: [refOf(stack.alarms.topic)],
    });
  });

  it('lets sns-inbound send to the registrations queue and touch no table or secret', () => {
    const statements = statementsOfRole(template, stack.lambda('sns-inbound').role);
    expect(actionsOn(statements, arnOf(stack.queues.get('registrations').queue))).toContain(
      'sqs:SendMessage',
    );
    expect(actionsOn(statements, arnOf(stack.queues.get('outbound').queue))).toEqual([]);
    const policy = JSON.stringify(statements);
    expect(policy).not.toContain('dynamodb:');
    expect(policy).not.toContain('secretsmanager:');
  });

  it('outputs the topic ARN to wire into the phone number’s two-way settings', () => {
    expect(
      Object.keys(template.findOutputs('SmsInboundTopicArn', { Value: refOf(inbound().topic) })),
    ).toHaveLength(1);
  });
});

describe('two-way SMS through an existing SNS topic', () => {
  it('subscribes to the topic ARN given in context and creates no topic of its own', () => {
    const { template } = synthesizeStage('dev', {
      context: { smsInboundTopic: existingTopicArn },
      bundle: false,
    });

    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: existingTopicArn,
    });
    // The alarm topic only.
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });
});

describe('without two-way SMS over SNS', () => {
  it('deploys no sns-inbound function and no subscription', () => {
    const { stack, template } = synthesizeStage('dev', { bundle: false });

    expect(stack.functions['sns-inbound']).toBeUndefined();
    expect(stack.smsInbound).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
