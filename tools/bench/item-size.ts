import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** DynamoDB's number size: one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+|0+$/g, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Size of one attribute value by DynamoDB's published rules (names and values in UTF-8 bytes). */
export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return bytes(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + bytes(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + attributeValueSize(v), 0);
  if (value.M !== undefined) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

/** Size of an item in bytes, which on-demand write units are charged by (1 KB each). */
export function itemSize(item: Readonly<Record<string, AttributeValue>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += bytes(name) + attributeValueSize(value);
  return size;
}

/** Write request units for an item of `size` bytes: one per started kilobyte. */
export function writeUnits(size: number): number {
  return Math.max(1, Math.ceil(size / 1024));
}
