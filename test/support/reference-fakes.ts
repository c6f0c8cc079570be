import type { ReferenceEntry, ReferenceIndex } from '@madad/core';

/** The reference index in memory: entries by reference, as the DynamoDB one keeps them. */
export function memoryReferences(): ReferenceIndex & { readonly entries: Map<string, ReferenceEntry> } {
  const entries = new Map<string, ReferenceEntry>();
  return {
    entries,
    put: async (list) => {
      for (const entry of list) entries.set(entry.reference, entry);
    },
    get: async (reference) => entries.get(reference),
  };
}
