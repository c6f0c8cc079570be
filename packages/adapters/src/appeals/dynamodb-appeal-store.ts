import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Appeal,
  type AppealAssignment,
  type AppealClaim,
  type AppealNote,
  type AppealOutcome,
  type AppealProposal,
  type AppealStatus,
  type AppealStore,
  type AppealsOfPerson,
  type AppealWorkStore,
  ConflictError,
  LanguageSchema,
} from '@madad/core';
import * as z from 'zod';
import { operationsKeys } from '../keys.js';
import { fromItem } from '../runtime/from-item.js';

/** What an appeal item must hold to be read as one; other fields pass through unchanged. */
const AppealItemSchema = z.looseObject({
  appealId: z.string().min(1),
  messageId: z.string(),
  cnicHash: z.string().min(1),
  phone: z.string(),
  lang: LanguageSchema,
  note: z.string(),
  status: z.enum(['OPEN', 'PROPOSED', 'RESOLVING', 'UPHELD', 'OVERTURNED']),
  openedAt: z.string().min(1),
});

function strip(item: Record<string, unknown>): Appeal {
  // noteIds: the set that makes a note's append idempotent; the notes themselves are the list.
  const {
    pk: _pk,
    sk: _sk,
    gsi2pk: _g,
    gsi2sk: _s,
    type: _t,
    noteIds: _n,
    ...rest
  } = fromItem(AppealItemSchema, item, 'appeal');
  return rest as Appeal;
}

/**
 * A person's latest appeal: one small item per CNIC hash naming the appeal, so the household's
 * standing finds it by key (appeals themselves are keyed by id and listed by status).
 */
const latestAppealOf = (cnicHash: string) => ({ pk: `APPEALS-OF#${cnicHash}`, sk: 'LATEST' });

/** Appeals in the operations table, listed by status through the byCampaign index. */
export class DynamoDbAppealStore implements AppealStore, AppealWorkStore, AppealsOfPerson {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async open(appeal: Appeal): Promise<Appeal> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...operationsKeys.appeal(appeal.appealId),
            type: 'APPEAL',
            ...appeal,
            gsi2pk: operationsKeys.appealsByStatus(appeal.status),
            gsi2sk: `${appeal.openedAt}#${appeal.appealId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.point(appeal);
      return appeal;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = (await this.get(appeal.appealId)) ?? appeal;
      // A redelivery after a crash between the two writes completes the pointer.
      await this.point(existing);
      return existing;
    }
  }

  /**
   * Points the person at this appeal, unless it already points at a newer one: one conditional write
   * after the appeal's, so a re-run converges. Status changes need no second write: the reader gets
   * the appeal itself by its id.
   */
  private async point(appeal: Appeal): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...latestAppealOf(appeal.cnicHash),
            type: 'APPEAL_POINTER',
            appealId: appeal.appealId,
            openedAt: appeal.openedAt,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR openedAt <= :at',
          ExpressionAttributeValues: { ':at': appeal.openedAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The person's latest appeal: the pointer, then the appeal, both by key. */
  async latestOf(cnicHash: string): Promise<Appeal | undefined> {
    const pointer = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: latestAppealOf(cnicHash), ConsistentRead: true }),
    );
    const appealId = pointer.Item?.appealId;
    return typeof appealId === 'string' ? this.get(appealId) : undefined;
  }

  async get(appealId: string): Promise<Appeal | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: operationsKeys.appeal(appealId), ConsistentRead: true }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  async list(status: AppealStatus, limit: number): Promise<Appeal[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCampaign',
        KeyConditionExpression: 'gsi2pk = :s',
        ExpressionAttributeValues: { ':s': operationsKeys.appealsByStatus(status) },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(strip);
  }

  /** OPEN -> RESOLVING with the claim, in one conditional write: of two staff at once, one wins. */
  async claim(appealId: string, claim: AppealClaim): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.appeal(appealId),
          UpdateExpression: 'SET #status = :resolving, #claim = :claim, gsi2pk = :g',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status', '#claim': 'claim' },
          ExpressionAttributeValues: {
            ':resolving': 'RESOLVING',
            ':claim': claim,
            ':open': 'OPEN',
            ':g': operationsKeys.appealsByStatus('RESOLVING'),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** RESOLVING -> the claimed outcome; a case already there (a re-run) is left as it is. */
  async complete(
    appealId: string,
    outcome: AppealOutcome,
    resolution: NonNullable<Appeal['resolution']>,
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.appeal(appealId),
          UpdateExpression: 'SET #status = :outcome, resolution = :resolution, gsi2pk = :g',
          ConditionExpression: '#status = :resolving AND #claim.outcome = :outcome',
          ExpressionAttributeNames: { '#status': 'status', '#claim': 'claim' },
          ExpressionAttributeValues: {
            ':outcome': outcome,
            ':resolution': resolution,
            ':resolving': 'RESOLVING',
            ':g': operationsKeys.appealsByStatus(outcome),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(appealId);
      if (current?.status !== outcome)
        throw new ConflictError(
          `Appeal ${appealId} is ${current?.status ?? 'missing'}, not claimed as ${outcome}`,
        );
    }
  }

  /** The assignment, on condition that the appeal is still being worked and its assignee is `expected`. */
  async assign(
    appealId: string,
    assignment: AppealAssignment,
    expected: string | undefined,
  ): Promise<boolean> {
    return this.conditional({
      Key: operationsKeys.appeal(appealId),
      UpdateExpression: 'SET assignment = :a',
      ConditionExpression: `#status IN (:open, :proposed) AND ${
        expected === undefined ? 'attribute_not_exists(assignment)' : 'assignment.#to = :expected'
      }`,
      ExpressionAttributeNames: { '#status': 'status', ...(expected === undefined ? {} : { '#to': 'to' }) },
      ExpressionAttributeValues: {
        ':a': assignment,
        ':open': 'OPEN',
        ':proposed': 'PROPOSED',
        ...(expected === undefined ? {} : { ':expected': expected }),
      },
    });
  }

  /** Appends the note (a list only ever appended to), unless its id is among the appeal's note ids. */
  async addNote(appealId: string, note: AppealNote): Promise<boolean> {
    return this.conditional({
      Key: operationsKeys.appeal(appealId),
      UpdateExpression: 'SET notes = list_append(if_not_exists(notes, :empty), :note) ADD noteIds :id',
      ConditionExpression: 'attribute_exists(pk) AND NOT contains(noteIds, :noteId)',
      ExpressionAttributeValues: {
        ':empty': [],
        ':note': [note],
        ':id': new Set([note.noteId]),
        ':noteId': note.noteId,
      },
    });
  }

  /** OPEN -> PROPOSED with the proposal: of two officers deciding at once, one does. */
  async propose(appealId: string, proposal: AppealProposal): Promise<boolean> {
    return this.conditional({
      Key: operationsKeys.appeal(appealId),
      UpdateExpression: 'SET #status = :proposed, proposal = :p, gsi2pk = :g',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':proposed': 'PROPOSED',
        ':p': proposal,
        ':open': 'OPEN',
        ':g': operationsKeys.appealsByStatus('PROPOSED'),
      },
    });
  }

  /** PROPOSED (this proposal) -> RESOLVING with the confirming officer's claim. */
  async confirm(appealId: string, proposalAt: string, claim: AppealClaim): Promise<boolean> {
    return this.conditional({
      Key: operationsKeys.appeal(appealId),
      UpdateExpression: 'SET #status = :resolving, #claim = :claim, gsi2pk = :g',
      ConditionExpression: '#status = :proposed AND proposal.#at = :at',
      ExpressionAttributeNames: { '#status': 'status', '#claim': 'claim', '#at': 'at' },
      ExpressionAttributeValues: {
        ':resolving': 'RESOLVING',
        ':claim': claim,
        ':proposed': 'PROPOSED',
        ':at': proposalAt,
        ':g': operationsKeys.appealsByStatus('RESOLVING'),
      },
    });
  }

  /** PROPOSED (this proposal) -> OPEN, the proposal kept with who declined it. */
  async decline(appealId: string, proposalAt: string, declinedBy: string): Promise<boolean> {
    return this.conditional({
      Key: operationsKeys.appeal(appealId),
      UpdateExpression: 'SET #status = :open, proposal.declinedBy = :by, gsi2pk = :g',
      ConditionExpression: '#status = :proposed AND proposal.#at = :at',
      ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
      ExpressionAttributeValues: {
        ':open': 'OPEN',
        ':by': declinedBy,
        ':proposed': 'PROPOSED',
        ':at': proposalAt,
        ':g': operationsKeys.appealsByStatus('OPEN'),
      },
    });
  }

  private async conditional(update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) {
    try {
      await this.doc.send(new UpdateCommand({ TableName: this.table, ...update }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
