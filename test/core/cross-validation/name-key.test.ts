import { nameKey, sameName } from '@madad/core';
import { describe, expect, it } from 'vitest';

describe('sameName', () => {
  it.each([
    ['Muhammad Ali', 'Mohammad Aly'],
    ['Muhammad Ali', 'Muhammed Ali'],
    ['Muhammad Ali', 'Mohd. Ali'],
    ['Muhammad Ali', 'muhammad  ali'],
    ['Muhammad Ali', 'MuhammadAli'],
    ['Rasheed', 'Rashid'],
    ['Fatima', 'Fatimah'],
    ['Ayesha', 'Aisha'],
    ['Abdul Rehman', 'Abdur Rahman'],
    ['Abdul Rehman', 'Abdulrehman'],
    ['Yousaf', 'Yusuf'],
    ['Parvez', 'Perwez'],
    ['Nadeem Qureshi', 'Nadim Kureshi'],
    ['Zainab Bibi', 'Zaenab Beebee'],
    ['Khalid', 'Khaled'],
    ['Saad', 'Sad'],
    ['Ishaq', 'Ishaque'],
  ])('treats %s and %s as one name (Latin spellings)', (a, b) => {
    expect(sameName(a, b)).toBe(true);
  });

  it.each([
    ['Muhammad Ali', 'محمد علی'],
    ['Fatima', 'فاطمہ'],
    ['Ayesha', 'عائشہ'],
    ['Imran', 'عمران'],
    ['Usman', 'عثمان'],
    ['Abdul Rehman', 'عبدالرحمان'],
    ['Yousaf', 'یوسف'],
    ['Rizwan', 'رضوان'],
    ['Shahid', 'شاہد'],
    ['Hussain', 'حسین'],
    ['Shabana Bibi', 'شبانہ بی بی'],
    ['Bibi', 'Bi Bi'],
  ])('treats %s and %s as one name (Latin and Urdu script)', (a, b) => {
    expect(sameName(a, b)).toBe(true);
  });

  it.each([
    ['Muhammad Ali', 'Ali Muhammad'],
    ['Muhammad Ali', 'Mahmood Ali'],
    ['Hassan', 'Hussain'],
    ['حسن', 'حسین'],
    ['Fatima', 'Amina'],
    ['Bilal', 'Iqbal'],
    ['Asif', 'Arif'],
    ['Sajid', 'Zahid'],
    ['Shabana', 'Shazia'],
    ['Imran', 'Irfan'],
    ['Ahmed Khan', 'Ahmed Jan'],
    ['Naveed', 'Nadeem'],
  ])('tells %s from %s', (a, b) => {
    expect(sameName(a, b)).toBe(false);
  });

  it('matches nothing with a name that has no letters', () => {
    expect(nameKey('--- 123')).toBe('');
    expect(sameName('---', '...')).toBe(false);
  });
});
