import { type TableId, type TableSpec, tables } from '@madad/adapters/resources';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { WarmUnits } from '../run-profiles.js';
import type { StageConfig } from '../stage.js';

export interface DataTablesProps {
  readonly stage: StageConfig;
  readonly key: IKey;
  /**
   * Pre-warms every table and the named indexes (a run profile's `warmThroughput` and `warmIndexes`);
   * without it they start at what a new on-demand table gets. Raising it is charged (docs/deploy.md).
   */
  readonly warm?: { readonly throughput: WarmUnits; readonly indexes: readonly string[] };
}

// Item-level reads only: the design forbids Scan in request and consumer paths, so no role gets it.
const itemReadActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const itemWriteActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** The DynamoDB tables described in `resources.ts`, with grants scoped to each table and its named indexes. */
export class DataTables extends Construct {
  private readonly byId = new Map<TableId, { table: Table; spec: TableSpec }>();

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    const warm = props.warm;
    const known = Object.values(tables).flatMap((spec: TableSpec) => spec.indexes.map((i) => i.name));
    const unknown = warm?.indexes.filter((name) => !known.includes(name)) ?? [];
    if (unknown.length > 0) throw new Error(`No index ${unknown.join(', ')} in resources.ts to warm`);
    for (const spec of Object.values(tables) as TableSpec[]) {
      const table = new Table(this, spec.id, {
        partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
        sortKey: { name: spec.sortKey, type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.key,
        deletionProtection: props.stage.deletionProtection,
        removalPolicy: props.stage.removalPolicy,
        ...(spec.timeToLiveAttribute ? { timeToLiveAttribute: spec.timeToLiveAttribute } : {}),
        ...(warm ? { warmThroughput: warm.throughput } : {}),
      });
      for (const index of spec.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
          ...(warm?.indexes.includes(index.name) ? { warmThroughput: warm.throughput } : {}),
        });
      }
      this.byId.set(spec.id as TableId, { table, spec });
    }
  }

  table(id: TableId): Table {
    return this.entry(id).table;
  }

  grantRead(grantee: IGrantable, id: TableId): void {
    this.grantItems(grantee, id, itemReadActions);
    this.table(id).encryptionKey?.grantDecrypt(grantee);
  }

  grantReadWrite(grantee: IGrantable, id: TableId): void {
    this.grantItems(grantee, id, [...itemReadActions, ...itemWriteActions]);
    this.table(id).encryptionKey?.grantEncryptDecrypt(grantee);
  }

  // CDK's own table grants use `<table>/index/*`; naming each index keeps the policy exact.
  private grantItems(grantee: IGrantable, id: TableId, actions: string[]): void {
    const { table, spec } = this.entry(id);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [table.tableArn] }),
    );
    if (spec.indexes.length > 0) {
      const indexArns = spec.indexes.map((index) => `${table.tableArn}/index/${index.name}`);
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexArns }),
      );
    }
  }

  private entry(id: TableId): { table: Table; spec: TableSpec } {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`No table ${id} in resources.ts`);
    return entry;
  }
}
