import type { ReplyQueue } from '../registration/ports.js';
import type { Language } from '../schemas.js';

/**
 * The language each phone last wrote in. Every inbound SMS is already recorded with the language its
 * reply took (the registration record, in the phone's partition), so nothing more is written on the
 * surge's hot path: a notice nobody asked for reads it back when it is sent.
 */
export interface PhoneLanguages {
  /** The language of each phone's newest inbound SMS; a phone that never wrote is absent. */
  lastLanguages(phones: readonly string[]): Promise<Map<string, Language>>;
}

/**
 * Which notice runs are complete (every notice of a batch export, of a result import), so a re-run
 * after one queues nothing. A run that crashed before its mark queues its notices again under the
 * same ids, which the aggregator refuses as repeats: each reaches the phone once.
 */
export interface NoticeMarks {
  isDone(run: string): Promise<boolean>;
  markDone(run: string, at: string): Promise<void>;
}

/** What sending notices to households needs: the outbound queue, the phones' languages, the marks. */
export interface NoticePorts {
  readonly replies: ReplyQueue;
  readonly phoneLanguages: PhoneLanguages;
  readonly marks: NoticeMarks;
}
