import { appendFile, readFile } from 'node:fs/promises';
import type { AuditAnchor, AuditAnchors } from '@madad/core';
import { AuditAnchorSchema } from './anchor-schema.js';

/**
 * The embedded stack's anchors: an append-only NDJSON file in the data folder
 * (`.madad/audit-anchors.ndjson`), one `{seq, hash, at, mac}` line per append. It lives outside the
 * DynamoDB emulator's files, so restoring or editing the table does not move it.
 */
export class FileAuditAnchors implements AuditAnchors {
  constructor(private readonly path: string) {}

  async record(anchor: AuditAnchor): Promise<void> {
    // One write with O_APPEND: concurrent appenders never interleave inside a line.
    await appendFile(this.path, `${JSON.stringify(anchor)}\n`, { flag: 'a', mode: 0o600 });
  }

  /** The anchor with the highest seq; a line that is not an anchor is an error, never skipped. */
  async latest(): Promise<AuditAnchor | undefined> {
    let latest: AuditAnchor | undefined;
    // Of two anchors of one seq the later line wins, as the later version of an S3 key does.
    for (const anchor of await this.all()) if (!latest || anchor.seq >= latest.seq) latest = anchor;
    return latest;
  }

  /** Every anchor in the file, in the order written. */
  async all(): Promise<AuditAnchor[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const anchors: AuditAnchor[] = [];
    for (const [index, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      const parsed = AuditAnchorSchema.safeParse(safeJson(line));
      if (!parsed.success) throw new Error(`${this.path} line ${index + 1} is not an audit anchor`);
      anchors.push(parsed.data);
    }
    return anchors;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
