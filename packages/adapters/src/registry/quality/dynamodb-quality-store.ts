import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BackCheckReport,
  BackCheckReportSchema,
  type RegistryHealthReport,
  RegistryHealthReportSchema,
  type StoredSample,
  StoredSampleSchema,
} from '@madad/core';
import * as z from 'zod';
import { qualityKeys } from './quality-keys.js';

const SampleSummarySchema = z.object({
  sampleId: z.string(),
  drawnAt: z.string(),
  seed: z.string(),
  by: z.string(),
  size: z.number(),
  population: z.number(),
});
/** A sample as the listing shows it. */
export type SampleSummary = z.infer<typeof SampleSummarySchema>;

/**
 * The quality reports and samples, each one item read by key (reports stay well under DynamoDB's
 * 400 KB item: findings keep a bounded number of examples, a sample of 3,000 households is ~70 KB).
 */
export class DynamoDbQualityStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putHealthReport(report: RegistryHealthReport): Promise<void> {
    await this.put(qualityKeys.healthReport, 'QUALITY_HEALTH', report);
  }

  async healthReport(): Promise<RegistryHealthReport | undefined> {
    return this.get(qualityKeys.healthReport, RegistryHealthReportSchema);
  }

  /** Stores a sample once: drawing the same seed on the same registry again names the same sample. */
  async putSample(sample: StoredSample): Promise<void> {
    await this.put(qualityKeys.sample(sample.sampleId), 'QUALITY_SAMPLE', sample);
    const summary: SampleSummary = {
      sampleId: sample.sampleId,
      drawnAt: sample.drawnAt,
      seed: sample.spec.seed,
      by: sample.spec.by,
      size: sample.strata.reduce((sum, s) => sum + s.size, 0),
      population: sample.population,
    };
    await this.put(
      qualityKeys.sampleListing(sample.drawnAt, sample.sampleId),
      'QUALITY_SAMPLE_LISTING',
      summary,
    );
  }

  async sample(sampleId: string): Promise<StoredSample | undefined> {
    return this.get(qualityKeys.sample(sampleId), StoredSampleSchema);
  }

  async putSampleReport(report: BackCheckReport): Promise<void> {
    await this.put(qualityKeys.sampleReport(report.sampleId), 'QUALITY_SAMPLE_REPORT', report);
  }

  async sampleReport(sampleId: string): Promise<BackCheckReport | undefined> {
    return this.get(qualityKeys.sampleReport(sampleId), BackCheckReportSchema);
  }

  /** The newest samples first (one Query of the listing partition). */
  async listSamples(limit = 20): Promise<SampleSummary[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': qualityKeys.sampleListingPk },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => SampleSummarySchema.parse(item.body));
  }

  private async put(key: { pk: string; sk: string }, type: string, body: unknown): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...key, type, body } }));
  }

  private async get<T extends z.ZodType>(
    key: { pk: string; sk: string },
    schema: T,
  ): Promise<z.infer<T> | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    return result.Item ? schema.parse(result.Item.body) : undefined;
  }
}
