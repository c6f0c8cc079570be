import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig, Throttle } from '../stage.js';

export interface PublicHttpApiProps {
  readonly stage: StageConfig;
  /** The hono app that serves every route but the SMS webhook. */
  readonly handler: IFunction;
  /** `POST /sms/inbound` alone: a function with only the webhook key and SendMessage to one queue. */
  readonly smsWebhook: IFunction;
  /** Checks the staff bearer JWT before a staff route reaches the handler. */
  readonly staffAuthorizer: IHttpRouteAuthorizer;
}

/** A route anyone may call: who calls it, and how it is protected instead of a JWT. */
export interface PublicRoute {
  readonly method: HttpMethod;
  readonly path: string;
  /** Throttled at the stage's household web limit rather than the stage default. */
  readonly householdWeb: boolean;
  /** Route-level CloudWatch metrics (Count, 4xx, 5xx, latency), charted as intake on the dashboard. */
  readonly intake: boolean;
  /** Served by the `sms-webhook` function rather than the api function. */
  readonly smsWebhook?: boolean;
  readonly why: string;
}

/**
 * The routes of the public contract. Everything else under `/api/v1/` is staff-only (the JWT authorizer);
 * anything outside it (the web pages, the console's page, which checks its token itself) is `$default`.
 * HTTP API picks the most specific route, so `POST /api/v1/registrations` here wins over the staff
 * catch-all while `GET /api/v1/registrations?cnic=` (a staff lookup) still falls to it.
 */
export const publicRoutes: readonly PublicRoute[] = [
  {
    method: HttpMethod.POST,
    path: '/sms/inbound',
    householdWeb: false,
    intake: true,
    smsWebhook: true,
    why: 'the SMS aggregator calls it; the handler checks its HMAC X-Madad-Signature (5 minute tolerance)',
  },
  {
    method: HttpMethod.GET,
    path: '/health',
    householdWeb: false,
    intake: false,
    why: 'uptime checks probe it, and it answers only a status and the time',
  },
  {
    method: HttpMethod.GET,
    path: '/openapi.json',
    householdWeb: false,
    intake: false,
    why: 'the published API contract, generated from the schemas; it describes routes and holds no data',
  },
  {
    method: HttpMethod.POST,
    path: '/api/v1/registrations',
    householdWeb: true,
    intake: true,
    why: 'households register on the web form; the reconciler decides as for an SMS',
  },
  {
    method: HttpMethod.GET,
    path: '/api/v1/registrations/{reference}',
    householdWeb: true,
    intake: false,
    why: 'households look up a registration by the unguessable reference they were given',
  },
  {
    method: HttpMethod.POST,
    path: '/api/v1/status',
    householdWeb: true,
    intake: false,
    why: 'households ask their status with CNIC and phone together, answered without personal data',
  },
  {
    method: HttpMethod.POST,
    path: '/api/v1/change-requests',
    householdWeb: true,
    intake: false,
    why: 'households ask to correct their record; it changes nothing until staff approve it',
  },
  // The HTML twins of the routes above: the same household throttle in the cloud, as the app's one
  // limiter counts them together per address and phone (`packages/api/src/rate-limit/`).
  {
    method: HttpMethod.POST,
    path: '/register',
    householdWeb: true,
    intake: false,
    why: 'the registration form posts here; the reconciler decides as for an SMS',
  },
  {
    method: HttpMethod.GET,
    path: '/status',
    householdWeb: true,
    intake: false,
    why: 'the status page, and a lookup by the unguessable reference a household was given',
  },
  {
    method: HttpMethod.POST,
    path: '/status',
    householdWeb: true,
    intake: false,
    why: 'the status form: CNIC and phone together, answered without personal data',
  },
  {
    method: HttpMethod.GET,
    path: '/campaigns/{id}',
    householdWeb: true,
    intake: false,
    why: "a campaign's public figures, small cells suppressed, cached for 30 s",
  },
];

/** The staff catch-all, behind the JWT authorizer. */
export const staffRoute = { method: HttpMethod.ANY, path: '/api/v1/{proxy+}' } as const;

export const routeKey = (route: { method: HttpMethod; path: string }): string =>
  `${route.method} ${route.path}`;

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
    authorizerError: '$context.authorizer.error',
  }),
);

/** The HTTP API in front of the api function: public routes, the staff catch-all, `$default` pages. */
export class PublicHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly routes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: PublicHttpApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration('Handler', props.handler);
    this.api = new HttpApi(this, 'Api', {
      description: `Madad ${props.stage.name}: SMS webhook, web registration and staff API`,
      createDefaultStage: false,
      defaultIntegration: integration,
    });
    const webhookIntegration = new HttpLambdaIntegration('SmsWebhook', props.smsWebhook);
    for (const route of publicRoutes) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: route.smsWebhook ? webhookIntegration : integration,
      });
      if (!added) throw new Error(`No route added for ${routeKey(route)}`);
      this.routes.set(routeKey(route), added);
      Validations.of(added).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${routeKey(route)} is public by design: ${route.why}. The stage throttles it.`,
      });
    }
    const [staff] = this.api.addRoutes({
      path: staffRoute.path,
      methods: [staffRoute.method],
      integration,
      authorizer: props.staffAuthorizer,
    });
    if (!staff) throw new Error('No staff route added');
    this.routes.set(routeKey(staffRoute), staff);

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
    this.addRouteSettings(props.stage);

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $default route serves the web pages: registration, status and campaign pages (households ' +
        'are not Cognito users) and the staff console under /console, which renders staff data on the ' +
        'server and authenticates every request itself: an HttpOnly session cookie from the OIDC sign-in ' +
        '(Cognito hosted login), checked against the server-side session and its roles. The JSON staff ' +
        'API is under /api/v1/{proxy+}, behind the JWT authorizer.',
    });
  }

  get url(): string {
    return this.stage.url;
  }

  /**
   * Per-route settings the L2 stage does not model: a lower throttle on the household web routes, and
   * route-level metrics (billed per metric) only on the two intake routes the dashboard charts.
   * Each entry states its throttle rather than rely on how unset route fields inherit the default.
   */
  private addRouteSettings(stage: StageConfig): void {
    // `RouteSettings` is untyped JSON in the L1, so its keys are CloudFormation's own (PascalCase).
    const settings: Record<string, Record<string, number | boolean>> = {};
    for (const route of publicRoutes) {
      if (!route.householdWeb && !route.intake) continue;
      const throttle: Throttle = route.householdWeb ? stage.publicWebThrottle : stage.apiThrottle;
      settings[routeKey(route)] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
        ...(route.intake ? { DetailedMetricsEnabled: true } : {}),
      };
    }
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = settings;
    // CloudFormation rejects settings for a route key it has not created yet.
    for (const key of Object.keys(settings)) {
      const route = this.routes.get(key);
      if (route) this.stage.node.addDependency(route);
    }
  }
}
