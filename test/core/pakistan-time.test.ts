import { describe, expect, it } from 'vitest';
import {
  formatPakistanClock,
  formatPakistanDate,
  formatPakistanTime,
  fromPakistanLocalInput,
  toPakistanLocalInput,
} from '../../packages/core/src/time/pakistan-time.js';

describe('Pakistan time', () => {
  it('shows a UTC instant as day, month, year and 24-hour time in PKT (UTC+5)', () => {
    expect(formatPakistanTime('2026-12-07T09:05:00Z')).toBe('7 Dec 2026, 14:05 PKT');
  });

  it('moves a UTC evening to the next day in Pakistan', () => {
    expect(formatPakistanTime(new Date('2026-12-07T20:30:00Z'))).toBe('8 Dec 2026, 01:30 PKT');
    expect(formatPakistanDate('2026-12-07T20:30:00Z')).toBe('8 Dec 2026');
  });

  it('writes midnight as 00, not 24', () => {
    expect(formatPakistanTime('2026-12-07T19:00:00Z')).toBe('8 Dec 2026, 00:00 PKT');
  });

  it('shows the time of day with seconds for a live page', () => {
    expect(formatPakistanClock('2026-12-07T09:05:07Z')).toBe('14:05:07 PKT');
  });

  it('fills and reads a datetime-local field in Pakistan time, both ways', () => {
    expect(toPakistanLocalInput('2026-12-07T20:30:00Z')).toBe('2026-12-08T01:30');
    expect(fromPakistanLocalInput('2026-12-08T01:30')).toBe('2026-12-08T01:30:00+05:00');
    expect(Date.parse(fromPakistanLocalInput(toPakistanLocalInput('2026-12-07T20:30:00Z')))).toBe(
      Date.parse('2026-12-07T20:30:00Z'),
    );
    expect(fromPakistanLocalInput('tomorrow')).toBe('tomorrow');
  });
});
