/** Injection tokens of the auditor's collaborators that are not classes (the environment's is ENVIRONMENT). */
export const REGISTER = Symbol('REGISTER');
export const LOGGER = Symbol('LOGGER');
export const KAFKA = Symbol('KAFKA');
