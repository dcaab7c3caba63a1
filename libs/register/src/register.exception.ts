export enum RegisterErrorCode {
  /** A file is missing, unreadable or not YAML. */
  UNREADABLE = 'UNREADABLE',
  /** An entry breaks the register format (docs/register-format.md). */
  INVALID_ENTRY = 'INVALID_ENTRY',
  /** Entries contradict each other: duplicate codes, overlapping editions, one wording naming two things. */
  CONFLICT = 'CONFLICT',
}

export interface RegisterProblem {
  code: RegisterErrorCode;
  /** The register file, relative to the register directory. */
  file: string;
  /** The entry within the file, e.g. `recipients[3] "police"`. */
  entry: string;
  problem: string;
}

export function describeProblem(problem: RegisterProblem): string {
  return `${problem.file}: ${problem.entry}: ${problem.problem}`;
}

/** The register could not be loaded; `problems` lists every problem found, not just the first. */
export class RegisterLoadException extends Error {
  constructor(
    readonly directory: string,
    readonly problems: RegisterProblem[],
  ) {
    super(
      `The register in ${directory} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${describeProblem(problem)}`).join('\n'),
    );
    this.name = 'RegisterLoadException';
  }
}
