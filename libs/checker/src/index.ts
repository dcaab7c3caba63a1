export { checkDisclosure } from './check-disclosure.js';
export { judgeEvent, judgeMessage, rejection, type Judgement } from './judge-message.js';
export {
  FlagCode,
  FLAG_ORDER,
  severityOf,
  type CheckResult,
  type Flag,
  type Severity,
  type VerdictKind,
} from './verdict.js';
