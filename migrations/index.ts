import { CreateAuditTrail1795300000000 } from './1795300000000-CreateAuditTrail.js';

/**
 * Migrations are listed rather than found by a file glob: a glob would need different patterns for the compiled
 * JavaScript and for the TypeScript sources that tests run.
 */
export const MIGRATIONS = [CreateAuditTrail1795300000000];
