import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { backfillReferences } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryReferences } from '../support/reference-fakes.js';

const docMock = mockClient(DynamoDBDocumentClient);
afterEach(() => docMock.reset());

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

/** Registration records as the store keeps them before the index: one reference per message. */
const records = [
  // Tied phone, its reply quoted the message's reference: the household's.
  {
    reference: 'R1AAAAAA',
    cnicHash: 'h-1',
    channel: 'sms',
    tied: true,
    reply: { text: 'Madad: You are eligible for Rs 12,000. Ref R1AAAAAA.' },
    decision: { campaignId: 'C-FLOOD' },
  },
  // A stranger's SMS: answered without the reference, which went to the household in its notice.
  {
    reference: 'R2BBBBBB',
    cnicHash: 'h-2',
    channel: 'sms',
    reply: { text: 'Madad: Your message was received.' },
    notice: { text: 'Madad: You are not eligible. Ref R2BBBBBB.' },
  },
  // A stranger's web registration: the stranger saw the W reference on the page.
  {
    reference: 'W3CCCCCC',
    cnicHash: 'h-3',
    channel: 'web',
    reply: { text: 'Madad: Your message was received.' },
    notice: { text: 'Madad: You are eligible. Ref W3CCCCCC.' },
  },
  // STATUS from a tied phone: the reply quoted the decision's reference, not the message's own.
  {
    reference: 'R4DDDDDD',
    cnicHash: 'h-1',
    channel: 'sms',
    tied: true,
    reply: { text: 'Madad: You are eligible. Ref R1AAAAAA.' },
  },
];

describe('backfillReferences', () => {
  it('indexes the references told to the household alone, page by page, and nothing a stranger saw', async () => {
    docMock
      .on(ScanCommand)
      .resolvesOnce({ Items: records.slice(0, 2), ScannedCount: 3, LastEvaluatedKey: { pk: 'x', sk: 'y' } })
      .resolvesOnce({ Items: records.slice(2), ScannedCount: 2 });
    const references = memoryReferences();

    const result = await backfillReferences(doc, 'ops', references);

    expect(result).toEqual({ scanned: 5, written: 2 });
    expect([...references.entries.values()]).toEqual([
      { reference: 'R1AAAAAA', cnicHash: 'h-1', campaignId: 'C-FLOOD' },
      { reference: 'R2BBBBBB', cnicHash: 'h-2', campaignId: '-' },
    ]);
    expect(docMock.commandCalls(ScanCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'x',
      sk: 'y',
    });
  });
});
