import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import {
  type AreaResolver,
  builtInGazetteer,
  Gazetteer,
  type GazetteerDistrict,
  type GazetteerStore,
} from '@madad/core';
import * as z from 'zod';
import { batchPutAll } from '../runtime/dynamodb-batch.js';

/**
 * The gazetteer lives in one partition of the registry table, an item per district (its tehsils,
 * codes and Urdu names inside): ~160 districts read by one Query (one or two pages), never a Scan.
 */
const GAZETTEER_PK = 'GAZETTEER';
const districtSk = (province: string, district: string) =>
  `DISTRICT#${province.trim().toLowerCase()}#${district.trim().toLowerCase()}`;

const DistrictItemSchema = z.object({
  province: z.string(),
  district: z.string(),
  cnicCode: z.number(),
  provinceCode: z.string().optional(),
  districtCode: z.string().optional(),
  provinceUr: z.string().optional(),
  districtUr: z.string().optional(),
  tehsils: z.array(
    z.object({ name: z.string(), code: z.string().optional(), nameUr: z.string().optional() }),
  ),
});

/** Strips what DynamoDB does not need to hold (undefined fields of optional codes). */
const clean = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export function dynamoGazetteerStore(doc: DynamoDBDocumentClient, table: string): GazetteerStore {
  return {
    async readDistricts() {
      const districts: GazetteerDistrict[] = [];
      const pages = paginateQuery(
        { client: doc },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :district)',
          ExpressionAttributeValues: { ':pk': GAZETTEER_PK, ':district': 'DISTRICT#' },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const d = DistrictItemSchema.parse(item);
          districts.push(clean({ ...d, tehsils: d.tehsils.map((t) => clean(t)) }) as GazetteerDistrict);
        }
      }
      return districts;
    },
    async writeDistricts(districts) {
      await batchPutAll(
        doc,
        table,
        districts.map((d) => ({
          pk: GAZETTEER_PK,
          sk: districtSk(d.province, d.district),
          type: 'GAZETTEER_DISTRICT',
          ...clean({ ...d, tehsils: d.tehsils.map((t) => clean({ ...t })) }),
        })),
      );
    },
  };
}

/**
 * How an import resolves household areas: against the stored gazetteer (one Query), else the built-in
 * list. The single-process import and each parallel import chunk read it once.
 */
export async function storedAreaResolver(doc: DynamoDBDocumentClient, table: string): Promise<AreaResolver> {
  const stored = await dynamoGazetteerStore(doc, table).readDistricts();
  const gazetteer = stored.length > 0 ? new Gazetteer(stored) : builtInGazetteer();
  return (province, district, tehsil) => gazetteer.resolve(province, district, tehsil);
}
