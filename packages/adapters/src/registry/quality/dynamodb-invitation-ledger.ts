import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type InvitationLedger, LanguageSchema, type UpdateInvitation } from '@madad/core';
import * as z from 'zod';
import { qualityKeys } from './quality-keys.js';

const InvitationItemSchema = z.object({
  round: z.string(),
  householdId: z.string(),
  phone: z.string(),
  lang: LanguageSchema,
  text: z.string(),
  smsId: z.string(),
  invitedAt: z.string(),
  queuedAt: z.string().optional(),
});

/** Update invitations, one item per household and round in the household's partition. */
export class DynamoDbInvitationLedger implements InvitationLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(round: string, householdId: string): Promise<UpdateInvitation | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: qualityKeys.invitation(round, householdId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? InvitationItemSchema.parse(result.Item) : undefined;
  }

  async create(invitation: UpdateInvitation): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...qualityKeys.invitation(invitation.round, invitation.householdId),
            type: 'INVITATION',
            ...invitation,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markQueued(round: string, householdId: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: qualityKeys.invitation(round, householdId),
        UpdateExpression: 'SET queuedAt = if_not_exists(queuedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}
