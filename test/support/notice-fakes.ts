import type { Language, NoticePorts, OutboundSms } from '@madad/core';

/**
 * The notice ports in memory: the outbound queue (everything queued, repeats included), an aggregator
 * that, like the real one and the embedded stack's gateway, takes a client reference once, the
 * languages phones last wrote in, and the marks of completed notice runs.
 */
export function memoryNotices(written: Readonly<Record<string, Language>> = {}) {
  const queued: OutboundSms[] = [];
  const delivered = new Map<string, OutboundSms>();
  const marks = new Set<string>();
  const ports: NoticePorts = {
    replies: {
      enqueue: async (replies) => {
        queued.push(...replies);
        for (const r of replies) if (!delivered.has(r.id)) delivered.set(r.id, r);
      },
    },
    phoneLanguages: {
      lastLanguages: async (phones) =>
        new Map(phones.flatMap((p) => (written[p] ? [[p, written[p]] as const] : []))),
    },
    marks: {
      isDone: async (run) => marks.has(run),
      markDone: async (run) => void marks.add(run),
    },
  };
  /** What reached a phone, in the order it was first handed over. */
  const deliveredTo = (phone: string) => [...delivered.values()].filter((r) => r.to === phone);
  return { ports, queued, delivered, deliveredTo, marks };
}
