import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicRoutes, routeKey } from '../../infra/constructs/public-http-api.js';
import { type FunctionName, functionPlans } from '../../infra/function-plans.js';
import type { MadadStack } from '../../infra/madad-stack.js';
import { SMS_WEBHOOK_PATH } from '../../packages/local/src/stack.js';
import {
  actionsOn,
  allFeatures,
  arnOf,
  logicalId,
  refOf,
  statementsOfRole,
  synthesizeStage,
} from './synthesize-stage.js';

interface RouteResource {
  Properties: { RouteKey: string; Target?: { 'Fn::Join': [string, [string, { Ref: string }]] } };
}

describe('finding 10: the per-SMS webhook is its own function and holds none of the staff console\u2019s keys', () => {
  let stack: MadadStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeStage('prod', { context: allFeatures, bundle: false }));
  });

  const statementsOf = (name: FunctionName) => statementsOfRole(template, stack.lambda(name).role);
  const variablesOf = (name: FunctionName): Record<string, unknown> =>
    template.toJSON().Resources[logicalId(stack.lambda(name).function)].Properties.Environment.Variables;

  /** The function a route's integration invokes, by its logical id. */
  function functionOfRoute(key: string): string {
    const resources = template.toJSON().Resources as Record<string, RouteResource & { Properties: never }>;
    const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find(
      (r) => (r as RouteResource).Properties.RouteKey === key,
    ) as RouteResource | undefined;
    const integrationId = route?.Properties.Target?.['Fn::Join'][1][1].Ref;
    if (!integrationId) throw new Error(`Route ${key} has no integration`);
    const uri = (resources[integrationId] as unknown as { Properties: { IntegrationUri: unknown } })
      .Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
    return uri['Fn::GetAtt'][0];
  }

  it('routes POST /sms/inbound to the sms-webhook function and every other public route to the api', () => {
    expect(functionOfRoute('POST /sms/inbound')).toBe(logicalId(stack.lambda('sms-webhook').function));
    for (const route of publicRoutes.filter((r) => r.path !== '/sms/inbound')) {
      expect(functionOfRoute(routeKey(route)), routeKey(route)).toBe(logicalId(stack.lambda('api').function));
    }
  });

  it('routes the same path to the webhook in the embedded stack as in the cloud', () => {
    expect(publicRoutes.filter((r) => r.smsWebhook).map((r) => r.path)).toEqual([SMS_WEBHOOK_PATH]);
  });

  it('declares only SendMessage to the registrations queue and the webhook secret', () => {
    expect(functionPlans['sms-webhook']).toMatchObject({
      tables: {},
      sendsTo: ['registrations'],
      readsSecrets: false,
      readsWebhookSecret: true,
    });
  });

  it('grants SendMessage on the registrations queue, the webhook secret, the data key, its logs and X-Ray, nothing else', () => {
    const statements = statementsOf('sms-webhook');
    const registrations = stack.queues.get('registrations').queue;
    expect(actionsOn(statements, arnOf(registrations))).toContain('sqs:SendMessage');
    expect(actionsOn(statements, refOf(stack.secrets.webhookSecret))).toContain(
      'secretsmanager:GetSecretValue',
    );
    const allowedResources = [
      JSON.stringify(arnOf(registrations)),
      JSON.stringify(refOf(stack.secrets.webhookSecret)),
      JSON.stringify(arnOf(stack.node.findChild('DataKey'))),
      JSON.stringify(arnOf(stack.lambda('sms-webhook').logGroup)),
    ];
    for (const statement of statements) {
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      // X-Ray's trace upload is granted on "*" by Lambda's tracing config; it reaches no data.
      if (actions.every((action) => action.startsWith('xray:'))) continue;
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const resource of resources) {
        expect(allowedResources, JSON.stringify(statement)).toContain(JSON.stringify(resource));
      }
    }
  });

  it('touches no table, no application secret (pepper, staff JWT key), no audit key and no other queue', () => {
    const policy = JSON.stringify(statementsOf('sms-webhook'));
    expect(policy).not.toContain('dynamodb:');
    expect(policy).not.toContain(logicalId(stack.secrets.secret));
    expect(policy).not.toContain(logicalId(stack.auditLedger.key));
    for (const id of ['outbound', 'activation'] as const) {
      expect(policy).not.toContain(logicalId(stack.queues.get(id).queue));
    }
    const variables = variablesOf('sms-webhook');
    expect(variables.MADAD_SECRETS_ARN).toBeUndefined();
    expect(variables.MADAD_SMS_WEBHOOK_SECRET_ARN).toEqual(refOf(stack.secrets.webhookSecret));
  });

  it('keeps the webhook key out of the api, which keeps its own grants (tables, application secret)', () => {
    expect(JSON.stringify(statementsOf('api'))).not.toContain(logicalId(stack.secrets.webhookSecret));
    expect(actionsOn(statementsOf('api'), refOf(stack.secrets.secret))).toContain(
      'secretsmanager:GetSecretValue',
    );
    expect(actionsOn(statementsOf('api'), arnOf(stack.tables.table('registry')))).toContain(
      'dynamodb:GetItem',
    );
  });

  it('assembles the webhook secret from the generated seed, never plaintext', () => {
    const secret = template.toJSON().Resources[logicalId(stack.secrets.webhookSecret)].Properties;
    expect(JSON.stringify(secret.SecretString)).toContain('{{resolve:secretsmanager:');
    expect(JSON.stringify(secret.SecretString)).toContain(logicalId(stack.secrets.seeds.smsWebhookSecret));
  });
});
