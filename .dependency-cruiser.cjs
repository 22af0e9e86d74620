/**
 * Architecture rules, checked by `npm run arch` (part of `npm run check` and `npm test`).
 * Each rule names a boundary described in docs/architecture.md ("Dependency rules") and
 * docs/layout.md; breaking one fails the build.
 */
const CONTEXTS = 'accounts|projects';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contexts-are-isolated',
      comment:
        'accounts and projects never import each other; they meet only through the shared kernel and the composition root (src/app.ts).',
      severity: 'error',
      from: { path: `^src/(${CONTEXTS})/` },
      to: { path: `^src/(${CONTEXTS})/`, pathNot: '^src/$1/' },
    },
    {
      name: 'domain-is-pure',
      comment:
        'A domain/ folder depends only on domain/ folders of its own context, the shared kernel and the building blocks: no framework, database, node: module or npm package.',
      severity: 'error',
      from: { path: '^src/([^/]+)/domain/' },
      to: { pathNot: '^src/($1|shared-kernel|building-blocks)/domain/' },
    },
    {
      name: 'application-does-not-know-adapters',
      comment: 'application/ declares ports; it never imports infrastructure/ or http/.',
      severity: 'error',
      from: { path: '^src/[^/]+/application/' },
      to: { path: '^src/[^/]+/(infrastructure|http)/' },
    },
    {
      name: 'application-uses-no-io-packages',
      comment:
        'application/ code reaches I/O only through ports, never through an npm package or node: module.',
      severity: 'error',
      from: { path: '^src/[^/]+/application/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'core'] },
    },
    {
      name: 'shared-code-does-not-know-contexts',
      comment:
        'The shared kernel and the building blocks are below the contexts; they never import one.',
      severity: 'error',
      from: { path: '^src/(shared-kernel|building-blocks)/' },
      to: { path: `^src/(${CONTEXTS})/` },
    },
    {
      name: 'only-the-composition-root-knows-both-contexts',
      // A context's one public entry is its module.ts: the factory that builds it and the
      // commands, events and types others may use, re-exported. A second entry file
      // (contracts.ts, index.ts) would only split that list in two.
      comment:
        'Outside a context, only src/app.ts and the CLI wire contexts; they use each context through its module.ts alone.',
      severity: 'error',
      from: { pathNot: `^src/(${CONTEXTS})/` },
      to: { path: `^src/(${CONTEXTS})/`, pathNot: `^src/(${CONTEXTS})/module\\.ts$` },
    },
    {
      name: 'the-web-client-talks-to-the-service-over-http-only',
      comment:
        'web/ reaches the service only through the API client generated from the OpenAPI document (ADR 18): it never imports the service’s code.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(src|tests|scripts)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.json'],
    },
  },
};
