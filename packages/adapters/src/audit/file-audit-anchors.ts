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
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let latest: AuditAnchor | undefined;
    for (const [index, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      const parsed = AuditAnchorSchema.safeParse(safeJson(line));
      if (!parsed.success) throw new Error(`${this.path} line ${index + 1} is not an audit anchor`);
      if (!latest || parsed.data.seq > latest.seq) latest = parsed.data;
    }
    return latest;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
