/**
 * How the notices' wording is matched (spec section 4): case, punctuation and white space are ignored,
 * and so is a trailing "for example".
 */

const TRAILING_FOR_EXAMPLE = /forexample$/;

const KEY_CACHE_LIMIT = 20_000;
const keyCache = new Map<string, string>();

/** The comparison key of a text: its letters and digits, lower-cased, without a trailing "for example". */
export function wordingKey(text: string): string {
  // Publishers repeat the same few hundred wordings; Unicode normalisation dominates the checker's time without this.
  let key = keyCache.get(text);
  if (key === undefined) {
    key = text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .replace(TRAILING_FOR_EXAMPLE, '');
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(text, key);
  }
  return key;
}

const HEAD_SEPARATORS = [' - ', ' – ', ':', ' ('];

/** The head of a notice line: the text before the first " - ", " – ", ":" or " (". */
export function headOf(text: string): string {
  let end = text.length;
  for (const separator of HEAD_SEPARATORS) {
    const at = text.indexOf(separator);
    if (at > 0 && at < end) end = at;
  }
  return text.slice(0, end).trim();
}

/** A kebab-case code for a wording, without a trailing "for example": "Children’s social care" → "childrens-social-care". */
export function codeOf(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-for-example$/, '');
}
