export * from './service-environment.js';
