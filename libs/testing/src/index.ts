export * from './event-factory.js';
export * from './ledger-test-database.js';
export * from './service-environment.js';
