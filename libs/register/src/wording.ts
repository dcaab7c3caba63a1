/**
 * How the notices' wording is matched (spec section 4): case, punctuation and white space are ignored,
 * and so is a trailing "for example".
 */

const TRAILING_FOR_EXAMPLE = /forexample$/;

/** The comparison key of a text: its letters and digits, lower-cased, without a trailing "for example". */
export function wordingKey(text: string): string {
  const key = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return key.replace(TRAILING_FOR_EXAMPLE, '');
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
