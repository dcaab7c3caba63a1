/**
 * Two projects: `unit` (specs beside the code, no services) and `integration` (test/, against real Kafka and
 * Postgres that the global set-up provides). Jest runs the TypeScript sources as native ES modules (NestJS 12
 * ships ESM only).
 */
const typescriptAsEsm = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // The same public entries as package.json `imports`: `#libs/<name>` only, so a deep import fails here too.
    '^#libs/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^#migrations$': '<rootDir>/migrations/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};

/** The projects named by --selectProjects, or undefined when every project runs. */
function selectedProjects(argv) {
  const names = [];
  let selecting = false;
  for (const arg of argv) {
    if (arg.startsWith('--selectProjects=')) {
      names.push(...arg.slice('--selectProjects='.length).split(','));
      selecting = false;
    } else if (arg === '--selectProjects') {
      selecting = true;
    } else if (selecting && !arg.startsWith('-')) {
      names.push(arg);
    } else {
      selecting = false;
    }
  }
  return names.length > 0 ? names : undefined;
}

const selected = selectedProjects(process.argv);
const integrationRuns = selected === undefined || selected.includes('integration');

export default {
  // maxWorkers and testTimeout are run-wide options that Jest ignores inside a project. Integration test files
  // share one broker and one database, so whenever they are part of the run the files run one at a time.
  maxWorkers: integrationRuns ? 1 : '50%',
  testTimeout: integrationRuns ? 120_000 : 5_000,
  projects: [
    {
      displayName: 'unit',
      ...typescriptAsEsm,
      testMatch: ['<rootDir>/{apps,libs,bench,tools}/**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      ...typescriptAsEsm,
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
    },
  ],
};
