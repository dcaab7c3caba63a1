export {
  COUNCIL_WIDE_ORDER,
  Register,
  loadRegister,
  type IndexedNotice,
  type RegisterVersion,
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
