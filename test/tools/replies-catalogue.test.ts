import { readFileSync } from 'node:fs';
import { countSegments } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_PATH, catalogueReplies, renderCatalogue } from '../../tools/replies/catalogue.js';

describe('the reply catalogue (docs/replies.md)', () => {
  it('is what the code renders: run `npm run replies:catalogue` after changing a reply', () => {
    // Arrange
    const onDisk = readFileSync(CATALOGUE_PATH, 'utf8');

    // Act
    const generated = renderCatalogue();

    // Assert
    expect(onDisk).toBe(generated);
  });

  it('shows every reply in English, Roman Urdu and Urdu script, each with the sender name and within two SMS', () => {
    // Act
    const replies = catalogueReplies();

    // Assert
    expect(replies.length).toBeGreaterThanOrEqual(3 * 33);
    for (const text of replies) {
      expect(text.startsWith('Madad: ') || text.startsWith('مدد: ')).toBe(true);
      expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    }
    expect(replies.filter((t) => t.startsWith('مدد: '))).toHaveLength(replies.length / 3);
  });

  it('writes the language rule down', () => {
    const text = renderCatalogue();

    expect(text).toContain('## Which language a household is answered in');
    expect(text).toContain('`MADAD 3704603991799` is Roman Urdu');
  });
});
