import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

import libraryBoundaries, { ALLOWED_DEPENDENCIES } from './library-boundaries.js';

const ROOT = '/repo';
const linter = new Linter({ cwd: ROOT });
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { boundaries: libraryBoundaries },
    rules: { 'boundaries/library-boundaries': 'error' as const },
  },
];

/** The rule's messages for `source` placed at `file` (relative to the repository root). */
function problems(file: string, source: string): string[] {
  return linter.verify(source, config, { filename: path.join(ROOT, file) }).map((m) => m.message);
}

describe('library boundaries rule', () => {
  it.each([
    ['libs/checker/src/a.ts', "import { x } from '#libs/register';"],
    ['libs/checker/src/a.ts', "import type { x } from '#libs/contracts';"],
    ['libs/ledger/src/a.ts', "export { canonicalJson } from '#libs/contracts';"],
    ['libs/ledger/src/a.spec.ts', "import { disclosureRecord } from '#libs/testing';"],
    ['libs/testing/src/a.ts', "import { createMigrationDataSource } from '#migrations';"],
    ['libs/ledger/src/a.ts', "import { x } from './sub/b.js';"],
    ['apps/auditor/src/a.ts', "import { x } from '#libs/ledger';"],
    ['apps/auditor/src/disclosures/a.ts', "import { x } from '../outbox/b.js';"],
    ['test/a.spec.ts', "import { startAuditor } from '../apps/auditor/src/main.js';"],
    ['test/a.spec.ts', "import { x } from '../bench/event-mix.js';"],
  ])('allows %s: %s', (file, source) => {
    expect(problems(file, source)).toEqual([]);
  });

  it.each([
    [
      'apps/auditor/src/a.ts',
      "import { x } from '#libs/ledger/src/ledger.repository.js';",
      /reaches inside library 'ledger'/,
    ],
    [
      'test/a.spec.ts',
      "import { x } from '../libs/ledger/src/entry-hash.js';",
      /reaches inside library 'ledger'/,
    ],
    [
      'libs/checker/src/a.ts',
      "import { x } from '../../register/src/register.js';",
      /reaches inside library 'register'/,
    ],
    ['libs/ledger/src/a.ts', "import { x } from '#libs/register';", /'ledger' may not depend on 'register'/],
    [
      'libs/contracts/src/a.ts',
      "import { x } from '#libs/checker';",
      /'contracts' may not depend on 'checker'/,
    ],
    ['libs/register/src/a.ts', "export * from '#libs/checker';", /'register' may not depend on 'checker'/],
    ['libs/ledger/src/a.ts', "const m = import('#libs/checker');", /'ledger' may not depend on 'checker'/],
    ['libs/ledger/src/a.ts', "import { x } from '#libs/testing';", /'ledger' may not depend on 'testing'/],
    ['libs/ledger/src/a.ts', "import { x } from '#libs/ledger';", /imports its own public entry/],
    [
      'libs/ledger/src/a.ts',
      "import { x } from '../../../apps/auditor/src/main.js';",
      /libraries never depend on apps/,
    ],
    [
      'libs/ledger/src/a.ts',
      "import { MIGRATIONS } from '../../../migrations/index.js';",
      /from outside itself/,
    ],
    ['libs/ledger/src/a.ts', "import { MIGRATIONS } from '#migrations';", /from outside itself/],
    [
      'apps/cli/src/a.ts',
      "import { x } from '../../auditor/src/main.js';",
      /app 'cli' imports app 'auditor'/,
    ],
    ['apps/cli/src/a.ts', "import { x } from '#libs/nonsense';", /names no library/],
  ])('refuses %s: %s', (file, source, message) => {
    const found = problems(file, source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });
});

describe('the dependency graph', () => {
  it('is the one docs/architecture.md draws', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/architecture.md'), 'utf8');
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    // Edges are written `from --> to`: "from depends on to".
    const drawn = new Map<string, string[]>();
    for (const [, from, to] of diagram.matchAll(/^\s*(\w+)\s*-->\s*(\w+)\s*$/gm)) {
      if (!(from in ALLOWED_DEPENDENCIES)) continue;
      drawn.set(from, [...(drawn.get(from) ?? []), to].sort());
    }
    const declared = Object.entries(ALLOWED_DEPENDENCIES).filter(([, to]) => to.length > 0);
    expect(Object.fromEntries(drawn)).toEqual(
      Object.fromEntries(declared.map(([from, to]) => [from, [...to].sort()])),
    );
  });
});
