import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  type Tracing,
} from 'aws-cdk-lib/aws-lambda';
import {
  Charset,
  LogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// esbuild's ESM output has no `require`; CommonJS dependencies bundled into it still call it.
const requireShim = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

export interface MadadFunctionProps {
  readonly stage: StageConfig;
  /** Folder under `functions/`; its `handler.ts` exports `handler`. */
  readonly name: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Reserved concurrency: a guaranteed share of the account's pool, and a ceiling. */
  readonly reservedConcurrentExecutions?: number;
  /**
   * `ACTIVE` for functions invoked once a batch, `PASS_THROUGH` for those invoked once an SMS
   * (`FunctionPlan.tracing` says why).
   */
  readonly tracing: Tracing.ACTIVE | Tracing.PASS_THROUGH;
}

/**
 * The AWS SDK v3 is part of the Node.js 22 Lambda runtime, so the bundles import it from there instead
 * of carrying it: about 380 KB less per function and less to parse on a cold start. The trade-off is
 * version skew: the runtime pins its own SDK release (usually some months behind the lockfile's) and
 * moves it with runtime updates, so what runs can lag what the tests ran. Madad calls only long-stable
 * DynamoDB, SQS and Secrets Manager operations; a feature that needs a newer client than the runtime
 * has should bundle that one package (leave it out of this list).
 */
/** Powertools' `service` (logs, and the dimension of custom metrics) of a function. */
export const serviceName = (name: string): string => `madad-${name}`;

/** Namespace of Madad's custom metrics (Powertools Metrics, embedded metric format). */
export const metricsNamespace = 'Madad';

export const runtimeProvidedModules = ['@aws-sdk/*'];

/**
 * A Lambda function from `functions/<name>/handler.ts`: Node 22 on arm64, a minified ESM bundle (the
 * AWS SDK from the runtime, everything else bundled and tree-shaken), X-Ray tracing (active or pass-
 * through), JSON logs without the platform's per-invocation lines, its own log group, and its own role
 * that starts with nothing but writing to that log group.
 */
export class MadadFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: MadadFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    // A dedicated role instead of AWSLambdaBasicExecutionRole: that managed policy allows writing to
    // every log group in the account, this one only to the function's own.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Madad ${props.stage.name} ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(repoRoot, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      tracing: props.tracing,
      role: this.role,
      logGroup: this.logGroup,
      // Lambda's advanced logging controls. The platform's START, END and REPORT lines are INFO system
      // logs, 300-400 bytes an invocation, that is an SMS on the api: WARN keeps only the platform's
      // warnings and errors (timeouts, crashes), while duration, errors and throttles stay in Lambda's
      // metrics (the memory used is only in REPORT: to size a function, set its level to INFO a while).
      // The application level INFO sets AWS_LAMBDA_LOG_LEVEL, which Powertools Logger obeys
      // before POWERTOOLS_LOG_LEVEL: its JSON lines, written straight to stdout with a `level` key, pass
      // at INFO and above, and its DEBUG lines are dropped as before. Metrics' embedded-metric-format
      // lines carry no `level`, which Lambda reads as INFO: they pass too, so the level must stay INFO.
      // In JSON format console.* lines become JSON objects with their level, so they still filter.
      loggingFormat: LoggingFormat.JSON,
      systemLogLevelV2: SystemLogLevel.WARN,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      // Table names, queue URLs and the secret ARN are added by the stack, next to the matching grants.
      environment: {
        MADAD_STAGE: props.stage.name,
        POWERTOOLS_SERVICE_NAME: serviceName(props.name),
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        // ES module entry points first: esbuild can drop unused exports only from ES modules.
        mainFields: ['module', 'main'],
        banner: requireShim,
        target: 'node22',
        externalModules: runtimeProvidedModules,
        minify: true,
        // Urdu replies and pages as UTF-8 bytes, not six-character \u escapes (the runtime reads UTF-8).
        charset: Charset.UTF8,
        // A separate index.mjs.map beside the bundle, not inline in it, and without the sources' text:
        // --enable-source-maps still maps traces to file and line, from a map a third of the size.
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        logLevel: LogLevel.WARNING,
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: the design runs the same handlers locally on the node@22 dev ' +
        'dependency, so Lambda and local move to a newer runtime together, in one reviewed change.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords, added by tracing (active, or pass-through ' +
        'for a sampled caller): X-Ray does not support resource-level permissions for them, so Resource ' +
        'must be *.',
    });
  }
}
