import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from '../keys.js';

/**
 * One conditional move of a staff-reviewed item (a change request, a rectification) from one of the
 * statuses it may be in to the next: the fields to set (its status and queue index key among them),
 * the fields to remove, and any field that must still hold a value (a rectification's district).
 */
export interface StatusTransition {
  readonly table: string;
  readonly key: ItemKey;
  /** The stored statuses the item may be in; any other refuses the move. */
  readonly from: readonly string[];
  readonly set: Readonly<Record<string, unknown>>;
  readonly unset?: readonly string[];
  readonly require?: Readonly<Record<string, unknown>>;
}

/** The UpdateCommand of a transition: names by `#field`, values by `:field`, conditions by `:if_field`. */
export function statusTransitionInput(move: StatusTransition): UpdateCommandInput {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = {};
  const set = Object.entries(move.set).map(([name, value]) => {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    return `#${name} = :${name}`;
  });
  const remove = (move.unset ?? []).map((name) => {
    names[`#${name}`] = name;
    return `#${name}`;
  });
  const conditions = Object.entries(move.require ?? {}).map(([name, value]) => {
    names[`#${name}`] = name;
    values[`:if_${name}`] = value;
    return `#${name} = :if_${name}`;
  });
  move.from.forEach((status, i) => {
    values[`:from${i}`] = status;
  });
  conditions.push(`#status IN (${move.from.map((_, i) => `:from${i}`).join(', ')})`);
  return {
    TableName: move.table,
    Key: move.key,
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Makes the move: true when this call made it, false when the item was not in a `from` status (or a
 * required field differed): another reviewer got there first, and nothing was written.
 */
export async function transitionStatus(
  doc: DynamoDBDocumentClient,
  move: StatusTransition,
): Promise<boolean> {
  try {
    await doc.send(new UpdateCommand(statusTransitionInput(move)));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
