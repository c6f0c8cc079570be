import { countSegments } from '@madad/core';

/** 2020: 1.46 billion SMS for 48.2 million unique requests (docs: context anchors). */
export const UNIQUE_SHARE_2020 = 48.2e6 / 1.46e9;

/** The issue 15 aim: SMS is over 99% of the running cost, so the mean reply stays near one part. */
export const SEGMENTS_PER_REPLY_TARGET = 1.3;

/** One reply the bench recorded, with the id of the message it answers. */
export interface RecordedReply {
  readonly messageId: string;
  readonly text: string;
}

/** Mean SMS segments a reply: to first registrations, to repeats, and weighed as in the 2020 mix. */
export interface ReplySegments {
  readonly unique: number;
  readonly duplicate: number;
  readonly mix2020: number;
  readonly replies: { readonly unique: number; readonly duplicate: number };
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Mean segments of the replies to the bench's unique (`bench-u-…`) and duplicate (`bench-d-…`)
 * registrations, and the 2020 mix: 3.3% first registrations, the rest repeats. The bench runs more
 * first registrations than 2020 had, so its own average would overstate the bill. A kind with no
 * reply counts as the other kind's mean; with none at all, one segment.
 */
export function replySegments(
  replies: readonly RecordedReply[],
  uniqueShare = UNIQUE_SHARE_2020,
): ReplySegments {
  const unique: number[] = [];
  const duplicate: number[] = [];
  for (const reply of replies) {
    const segments = countSegments(reply.text).segments;
    if (reply.messageId.startsWith('bench-d-')) duplicate.push(segments);
    else unique.push(segments);
  }
  const u = unique.length > 0 ? mean(unique) : duplicate.length > 0 ? mean(duplicate) : 1;
  const d = duplicate.length > 0 ? mean(duplicate) : u;
  return {
    unique: u,
    duplicate: d,
    mix2020: uniqueShare * u + (1 - uniqueShare) * d,
    replies: { unique: unique.length, duplicate: duplicate.length },
  };
}
