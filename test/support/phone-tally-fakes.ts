import type { PhoneHistory, PhoneTallyBefore } from '@madad/core';

/** An in-memory phone tally, atomic as the table's `UpdateItem` is; `calls` lists each call's phone. */
export function memoryPhoneTallies(): PhoneHistory & { readonly calls: string[] } {
  const hoursOf = new Map<string, Map<string, number>>();
  const cnicsOf = new Map<string, Set<string>>();
  const calls: string[] = [];
  return {
    calls,
    async tally(phone, hours, cnics): Promise<PhoneTallyBefore> {
      calls.push(phone);
      const counts = hoursOf.get(phone) ?? new Map<string, number>();
      const known = cnicsOf.get(phone) ?? new Set<string>();
      const before = {
        hours: Object.fromEntries(Object.keys(hours).map((h) => [h, counts.get(h) ?? 0])),
        cnics: [...known],
      };
      for (const [hour, n] of Object.entries(hours)) counts.set(hour, (counts.get(hour) ?? 0) + n);
      for (const cnic of cnics) known.add(cnic);
      hoursOf.set(phone, counts);
      cnicsOf.set(phone, known);
      return before;
    },
  };
}
