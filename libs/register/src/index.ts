export {
  COUNCIL_WIDE_ORDER,
  Register,
  loadRegister,
  recipientKey,
  type IndexedNotice,
  type RecipientReference,
  type RegisterVersion,
  type ResolvedRecipient,
} from './register.js';
export { loadRegisterData } from './register.loader.js';
export {
  RegisterErrorCode,
  RegisterLoadException,
  describeProblem,
  type RegisterProblem,
} from './register.exception.js';
export * from './register.types.js';
export { codeOf, headOf, wordingKey } from './wording.js';
export { recordOfProcessing, ropaCsv, ropaMarkdown, type RopaRow } from './ropa.js';
export { defaultRegisterDir } from './default-register-dir.js';
export { describeWarning, lintRegister, RegisterWarningCode, type RegisterWarning } from './register-lint.js';
