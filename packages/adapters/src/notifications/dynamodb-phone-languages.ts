import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { type Language, LanguageSchema, mapBounded, type PhoneLanguages } from '@madad/core';
import { operationsKeys } from '../keys.js';

/** Phones queried at once: a batch export's notices read thousands of phones. */
const CONCURRENCY = 16;

/**
 * The language each phone last wrote in, read back from its message records (the phone's partition
 * of the operations table, where every inbound SMS is recorded with its reply's language): one Query
 * per phone, projected to the language and the receipt time, and nothing written on the hot path.
 */
export class DynamoDbPhoneLanguages implements PhoneLanguages {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async lastLanguages(phones: readonly string[]): Promise<Map<string, Language>> {
    const found = await mapBounded([...new Set(phones)], CONCURRENCY, async (phone) => {
      const lang = await this.lastLanguage(phone);
      return lang === undefined ? [] : [[phone, lang] as const];
    });
    return new Map(found.flat());
  }

  private async lastLanguage(phone: string): Promise<Language | undefined> {
    let newest: { receivedAt: string; lang: Language } | undefined;
    // Keys hold no time, so the partition is read whole (a few items for an honest phone).
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: {
          ':pk': operationsKeys.phoneMessages(phone),
          ':msg': operationsKeys.phoneMessagePrefix,
        },
        ProjectionExpression: '#lang, receivedAt',
        ExpressionAttributeNames: { '#lang': 'lang' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const lang = LanguageSchema.safeParse(item.lang);
        const receivedAt = String(item.receivedAt ?? '');
        if (lang.success && (!newest || receivedAt > newest.receivedAt))
          newest = { receivedAt, lang: lang.data };
      }
    }
    return newest?.lang;
  }
}
