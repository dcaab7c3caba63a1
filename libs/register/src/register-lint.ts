import type { Register } from './register.js';
import type { PurposeLine } from './register.types.js';

export enum RegisterWarningCode {
  /** Two purposes of one notice that read alike but carry different conditions. */
  NEAR_DUPLICATE_PURPOSES = 'NEAR_DUPLICATE_PURPOSES',
}

/** Something a DPO should review; unlike a RegisterProblem it does not stop the register from loading. */
export interface RegisterWarning {
  code: RegisterWarningCode;
  file: string;
  entry: string;
  warning: string;
}

const STOP_WORDS = new Set(
  'a an and as at be by for from in including into it its of on or our the their them they this to us we with you your'.split(
    ' ',
  ),
);

/** The words that carry a purpose's meaning, roughly stemmed: "Teaching and training" → {teach, train}. */
function significantWords(text: string): Set<string> {
  const words = text
    .normalize('NFKD')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) => word.replace(/ing$/, (suffix) => (word.length > 5 ? '' : suffix)))
    .map((word) =>
      word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word,
    );
  return new Set(words);
}

function describeCondition(line: PurposeLine): string {
  return line.condition === undefined ? 'no condition' : `the condition ${line.condition}`;
}

/**
 * Purposes of one notice whose words are all among another's, where the two carry different conditions: e.g. 004's
 * "To assist with social care research and development" (no condition) and "Research" (consent or de-identified
 * data). The register follows the notice, but a publisher can pick the unconditioned wording for the same use.
 */
function nearDuplicatePurposes(register: Register): RegisterWarning[] {
  const warnings: RegisterWarning[] = [];
  for (const notice of register.data.notices) {
    const lines = notice.purposes.map((line) => ({ line, words: significantWords(line.text) }));
    for (const [index, a] of lines.entries()) {
      for (const b of lines.slice(index + 1)) {
        if (a.line.condition === b.line.condition || a.words.size === 0 || b.words.size === 0) continue;
        const [smaller, larger] = a.words.size <= b.words.size ? [a, b] : [b, a];
        if (![...smaller.words].every((word) => larger.words.has(word))) continue;
        warnings.push({
          code: RegisterWarningCode.NEAR_DUPLICATE_PURPOSES,
          file: notice.file,
          entry: `purposes "${smaller.line.text}" and "${larger.line.text}"`,
          warning:
            `these purposes read alike but "${smaller.line.text}" has ${describeCondition(smaller.line)} and ` +
            `"${larger.line.text}" has ${describeCondition(larger.line)}; a disclosure under the one without the ` +
            'condition escapes it. Check that the notice means two uses.',
        });
      }
    }
  }
  return warnings;
}

/** Warnings about a valid register, for `register lint`. */
export function lintRegister(register: Register): RegisterWarning[] {
  return nearDuplicatePurposes(register);
}

export function describeWarning(warning: RegisterWarning): string {
  return `${warning.file}: ${warning.entry}: ${warning.warning}`;
}
