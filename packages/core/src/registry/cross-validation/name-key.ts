/**
 * Names as the survey and the ID authority spell them: the same person is "Muhammad Ali" on one
 * side and "Mohammad Aly", "Muhammed  Ali" or "محمد علی" on the other. A name's key is its consonant
 * skeleton in Latin letters: Urdu script is transliterated letter by letter (Urdu writes no short
 * vowels, so the skeleton is what both scripts share), vowels and doubled letters are dropped, letters
 * that the two scripts spell alike are merged (q/k, v/w, ph/f, ث/ص/س), and the words are joined without
 * spaces. A few names whose skeletons alone would collide or part (Muhammad and its abbreviations,
 * Mahmood, Hasan and Hussain, Abdul and Abdur) are looked up first.
 */

/** Whole words whose key is fixed, in either script. */
const WORDS: Record<string, string> = {};
const word = (key: string, spellings: string) => {
  for (const s of spellings.split(' ')) WORDS[s] = key;
};
word('mhmd', 'muhammad mohammad muhammed mohammed mohamed muhamad mohamad mohd muhd md mhd محمد');
// Mahmood is not Muhammad: "w" never survives in a skeleton, so this key stays apart.
word('mhmwd', 'mahmood mehmood mahmud mehmud mahmoud محمود');
word('hsn', 'hasan hassan حسن');
word('hsyn', 'husain hussain hussein husein hosain hossain حسین');
word('bdl', 'abdul abdur abdus abdal abdel abd عبدال عبد');

/** Urdu letters in Latin: ع, hamza and diacritics vanish; final ہ is the vowel it usually writes. */
const URDU: Record<string, string> = {
  ا: 'a',
  آ: 'a',
  أ: 'a',
  إ: 'a',
  ب: 'b',
  پ: 'p',
  ت: 't',
  ٹ: 't',
  ث: 's',
  ج: 'j',
  چ: 'ch',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ڈ: 'd',
  ذ: 'z',
  ر: 'r',
  ڑ: 'r',
  ز: 'z',
  ژ: 'z',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'z',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'k',
  ک: 'k',
  ك: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ں: 'n',
  ھ: 'h',
  ء: '',
  ئ: '',
  ؤ: 'o',
  ۃ: 'a',
  ة: 'a',
};

function transliterateUrdu(token: string): string {
  const letters = [...token];
  return letters
    .map((ch, i) => {
      const first = i === 0;
      const last = i === letters.length - 1;
      if (ch === 'و') return first ? 'w' : 'o';
      if (ch === 'ی' || ch === 'ي' || ch === 'ى' || ch === 'ے') return first ? 'y' : 'i';
      if (ch === 'ہ' || ch === 'ە' || ch === 'ۂ') return last && !first ? 'a' : 'h';
      return URDU[ch] ?? '';
    })
    .join('');
}

const collapseRuns = (s: string) => s.replace(/(.)\1+/g, '$1');

/** The consonant skeleton of one word already in Latin letters. */
function skeleton(latin: string): string {
  let s = latin.replace(/[^a-z]/g, '');
  s = s
    .replace(/ph/g, 'f')
    .replace(/c(?!h)/g, 'k')
    .replace(/q/g, 'k')
    .replace(/v/g, 'w')
    .replace(/x/g, 'ks')
    .replace(/([td])h/g, '$1')
    // A final h after a vowel writes the vowel (Fatimah, Aishah), as final ہ does in Urdu.
    .replace(/([aeiou])h$/, '$1');
  s = collapseRuns(s);
  const head = s.slice(0, 1);
  const tail = s.slice(1).replace(/[aeiouwy]/g, '');
  return collapseRuns((/[aeiou]/.test(head) ? '' : head) + tail);
}

function wordKey(token: string): string {
  const fixed = WORDS[token];
  if (fixed !== undefined) return fixed;
  const latin = /[\u0600-\u06FF]/.test(token) ? transliterateUrdu(token) : token;
  return skeleton(latin);
}

/** The key two spellings of one name share; empty when the name holds no letters. */
export function nameKey(name: string): string {
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u0660-\u0669\u06F0-\u06F90-9]/g, ' ');
  const tokens = plain.split(/[^a-z\u0600-\u06FF]+/).filter((t) => t.length > 0);
  // Runs are collapsed across words too: بی بی is Bibi, as "Abdul Latif" is "Abdullatif".
  return collapseRuns(tokens.map(wordKey).join(''));
}

/** Whether two spellings name the same person (equal keys; a name without letters matches nothing). */
export function sameName(a: string, b: string): boolean {
  const key = nameKey(a);
  return key.length > 0 && key === nameKey(b);
}
