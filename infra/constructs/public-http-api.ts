import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage.js';

export interface PublicHttpApiProps {
  readonly stage: StageConfig;
  /** The hono app that serves every route. */
  readonly handler: IFunction;
}

/**
 * Deliberately no query string, user agent or body: staff lookups carry CNICs and phone numbers in the
 * query (`?cnic=`, `?to=`), and the design keeps personal data out of logs.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * The HTTP API in front of the api function. The routes of the public contract are explicit so each can
 * later get its own authorizer; `$default` sends everything else (web pages) to the same function.
 */
export class PublicHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: PublicHttpApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration('Handler', props.handler);
    this.api = new HttpApi(this, 'Api', {
      description: `Madad ${props.stage.name}: SMS webhook, web registration and staff API`,
      createDefaultStage: false,
      defaultIntegration: integration,
    });
    const routes: ReadonlyArray<readonly [string, HttpMethod]> = [
      ['/sms/inbound', HttpMethod.POST],
      ['/health', HttpMethod.GET],
      ['/openapi.json', HttpMethod.GET],
      ['/api/v1/{proxy+}', HttpMethod.ANY],
    ];
    for (const [path, method] of routes) {
      this.api.addRoutes({ path, methods: [method], integration });
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.stage.apiThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });

    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'The public routes are unauthenticated by design: POST /sms/inbound is called by the SMS aggregator and ' +
          'authenticated in the handler by its HMAC X-Madad-Signature; /health, /openapi.json, the web pages and ' +
          'POST/GET /api/v1/registrations serve households. Staff routes under /api/v1 verify a bearer JWT and its ' +
          'role in the handler until the Cognito JWT authorizer lands in a later issue.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'No Cognito user pool yet: households and the SMS aggregator are not Cognito users, and staff JWTs are ' +
          'verified in the handler until the Cognito authorizer for the staff routes lands in a later issue.',
      },
    );
  }

  get url(): string {
    return this.stage.url;
  }
}
