/**
 * The library boundaries, as an ESLint rule. docs/architecture.md draws the same graph.
 *
 * - Another library is imported only through its public entry, `#libs/<name>` (libs/<name>/src/index.ts).
 * - A library imports only the libraries ALLOWED_DEPENDENCIES lists for it, and never an app or other top-level code.
 * - An app never imports another app.
 */
import path from 'node:path';

/** Which libraries each library may import. Apps, tests, benchmarks and migrations sit on top and may import any. */
export const ALLOWED_DEPENDENCIES = {
  contracts: [],
  register: ['contracts'],
  checker: ['contracts', 'register'],
  ledger: ['contracts'],
  infrastructure: ['contracts'],
  testing: ['contracts', 'ledger'],
  transparency: [],
};

/** Specs beside a library's code may also use the shared test helpers. */
const SPEC_ONLY_DEPENDENCIES = ['testing'];

/** Top-level entries (package.json `imports`) beyond `#libs/*`, and the libraries allowed to use them. */
const TOP_LEVEL_ENTRIES = { '#migrations': ['testing'] };

const LIBRARY_ENTRY = /^#libs\/([^/]+)$/;

/** Where a file belongs: `lib:<name>`, `app:<name>`, or `top` for everything else in the repository. */
function ownerOf(relativePath) {
  const [first, second] = relativePath.split(path.sep);
  if ((first === 'libs' || first === 'apps') && second !== undefined && !second.includes('.')) {
    return { kind: first === 'libs' ? 'lib' : 'app', name: second };
  }
  return { kind: 'top', name: first };
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps imports within the allowed library graph, through public entries only' },
    schema: [],
    messages: {
      deepImport:
        "'{{specifier}}' reaches inside library '{{library}}'; import its public entry '#libs/{{library}}' instead",
      unknownLibrary: "'{{specifier}}' names no library; the libraries are: {{libraries}}",
      selfImport: "library '{{library}}' imports its own public entry; import the file it needs relatively",
      forbiddenDependency:
        "library '{{from}}' may not depend on '{{to}}' (allowed: {{allowed}}); see docs/architecture.md",
      libraryImportsApp:
        "library '{{from}}' imports app code ('{{specifier}}'); libraries never depend on apps",
      libraryLeavesLibrary:
        "library '{{from}}' imports '{{specifier}}' from outside itself; libraries depend only on packages and other libraries' entries",
      appImportsApp: "app '{{from}}' imports app '{{to}}'; share code through a library instead",
    },
  },
  create(context) {
    const root = context.cwd;
    const filename = context.filename;
    const relativeFile = path.relative(root, filename);
    if (relativeFile.startsWith('..')) return {};
    const owner = ownerOf(relativeFile);
    const isSpec = /\.spec\.ts$/.test(filename);
    const allowedFor = (library) => [
      ...(ALLOWED_DEPENDENCIES[library] ?? []),
      ...(isSpec ? SPEC_ONLY_DEPENDENCIES : []),
    ];

    function check(node) {
      const specifier = node.value;
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('#libs/')) return checkLibraryEntry(node, specifier);
      if (specifier in TOP_LEVEL_ENTRIES) return checkTopLevelEntry(node, specifier);
      if (specifier.startsWith('.')) return checkRelative(node, specifier);
    }

    function checkLibraryEntry(node, specifier) {
      const entry = LIBRARY_ENTRY.exec(specifier);
      const library = entry ? entry[1] : specifier.split('/')[1];
      if (!(library in ALLOWED_DEPENDENCIES)) {
        const libraries = Object.keys(ALLOWED_DEPENDENCIES).join(', ');
        return context.report({ node, messageId: 'unknownLibrary', data: { specifier, libraries } });
      }
      if (!entry) return context.report({ node, messageId: 'deepImport', data: { specifier, library } });
      if (owner.kind !== 'lib') return;
      if (library === owner.name) return context.report({ node, messageId: 'selfImport', data: { library } });
      const allowed = allowedFor(owner.name);
      if (!allowed.includes(library)) {
        context.report({
          node,
          messageId: 'forbiddenDependency',
          data: { from: owner.name, to: library, allowed: allowed.join(', ') || 'none' },
        });
      }
    }

    function checkTopLevelEntry(node, specifier) {
      if (owner.kind !== 'lib' || TOP_LEVEL_ENTRIES[specifier].includes(owner.name)) return;
      context.report({ node, messageId: 'libraryLeavesLibrary', data: { from: owner.name, specifier } });
    }

    function checkRelative(node, specifier) {
      const target = path.relative(root, path.resolve(path.dirname(filename), specifier));
      const targetOwner = ownerOf(target);
      const sameOwner = targetOwner.kind === owner.kind && targetOwner.name === owner.name;
      if (sameOwner) return;
      if (owner.kind === 'lib') {
        const messageId = targetOwner.kind === 'app' ? 'libraryImportsApp' : 'libraryLeavesLibrary';
        if (targetOwner.kind !== 'lib')
          return context.report({ node, messageId, data: { from: owner.name, specifier } });
      }
      if (targetOwner.kind === 'lib') {
        return context.report({
          node,
          messageId: 'deepImport',
          data: { specifier, library: targetOwner.name },
        });
      }
      if (owner.kind === 'app' && targetOwner.kind === 'app') {
        context.report({
          node,
          messageId: 'appImportsApp',
          data: { from: owner.name, to: targetOwner.name },
        });
      }
    }

    const checkSource = (node) => {
      if (node.source) check(node.source);
    };
    return {
      ImportDeclaration: checkSource,
      ExportNamedDeclaration: checkSource,
      ExportAllDeclaration: checkSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node.source);
      },
    };
  },
};

export default { meta: { name: 'library-boundaries' }, rules: { 'library-boundaries': rule } };
