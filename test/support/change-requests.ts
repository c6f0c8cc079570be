import { expect } from 'vitest';

/** How a test reads the staff list of submitted change requests (as a program officer). */
export type ListSubmitted = () => Promise<Response>;

async function submittedIds(list: ListSubmitted, householdId: string): Promise<Set<string>> {
  const body = (await (await list()).json()) as { items: { requestId: string; householdId: string }[] };
  return new Set(body.items.filter((i) => i.householdId === householdId).map((i) => i.requestId));
}

/**
 * Submits a household's change request and finds it in the staff list: the public answer carries no
 * id (it is the same whether or not the phone is on the household), so staff are where it shows.
 */
export async function submitAndFind(
  list: ListSubmitted,
  householdId: string,
  submit: () => Promise<Response>,
): Promise<string> {
  const before = await submittedIds(list, householdId);
  const response = await submit();
  expect(response.status).toBe(202);
  expect(await response.json()).toMatchObject({ status: 'RECEIVED' });
  const fresh = [...(await submittedIds(list, householdId))].filter((id) => !before.has(id));
  expect(fresh).toHaveLength(1);
  return fresh[0] as string;
}
