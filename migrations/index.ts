import { CreateAuditTrail1795300000000 } from './1795300000000-CreateAuditTrail.js';
import { LeanAuditIndexes1795304200000 } from './1795304200000-LeanAuditIndexes.js';

/**
 * Migrations are listed rather than found by a file glob: a glob would need different patterns for the compiled
 * JavaScript and for the TypeScript sources that tests run.
 */
export const MIGRATIONS = [CreateAuditTrail1795300000000, LeanAuditIndexes1795304200000];
