/** Injection tokens of the auditor's configuration and collaborators that are not classes. */
export const ENVIRONMENT = Symbol('ENVIRONMENT');
export const REGISTER = Symbol('REGISTER');
export const LOGGER = Symbol('LOGGER');
export const KAFKA = Symbol('KAFKA');
