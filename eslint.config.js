// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const noElectron = {
  name: 'electron',
  message:
    'Only electron/main and electron/preload may import electron: keep logic testable in plain Node.',
};
const nodeOnly = {
  group: [
    'node:*',
    'ws',
    'better-sqlite3',
    'electron',
    'fs',
    'path',
    'os',
    'crypto',
    'child_process',
  ],
  message: 'This code also runs in the browser: no Node or Electron modules here.',
};

const noNodeHelpers = {
  group: ['**/node/**'],
  message:
    'shared/node/ is for Node processes only: the renderer and the rest of shared/ run in the browser.',
};

const serverOnly = {
  group: ['better-sqlite3', 'pino', 'prom-client', '**/server/**'],
  message: 'Server-only: the desktop app must not import the server or its packages.',
};

// Test doubles and rigs live in test-util/ and test-support/ folders; production code never
// imports them, so no double can stand in for the real thing outside a test.
const testOnly = {
  group: ['**/test-util/**', '**/test-util', '**/test-support/**', '**/test-support'],
  message: 'Test support: only tests, test support, benchmarks and e2e import it.',
};
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/test-util/**', '**/test-support/**'];

// The UI is imported by nothing but itself; benches, e2e and the test tooling (tools/) drive
// the code, never the reverse.
const noRigs = {
  group: ['**/bench/**', '**/e2e/**', '**/tools/**'],
  message: 'bench/, e2e/ and tools/ drive the code: nothing they hold is imported by it.',
};
// The core runs under each shell (Electron's main process, the headless server): it imports
// none of them, or it would pull Electron into the headless app and its tests. A pattern
// matches the specifier as written: `../main/x` from the core needs the relative form.
const noShell = {
  group: [
    ...['main', 'preload', 'headless'].map((shell) => `**/electron/${shell}/**`),
    ...['main', 'preload', 'headless'].map((shell) => `../**/${shell}/**`),
  ],
  message:
    'electron/core runs under every shell: it imports no electron/main, preload or headless.',
};
const noRenderer = {
  group: ['**/renderer/**'],
  message: 'Only the renderer imports the renderer: share what both need through shared/.',
};

// The two modes sit on what they share, and on nothing of each other: remote/ (a configured
// server) and local/ (no server) each import client/ (talking to a control server) and
// hosting/ (hosting a party on this machine), hosting/ imports client/, and client/ neither.
// Only the factory that picks a mode (control.ts) imports remote/ or local/.
const noModes = {
  group: ['**/remote/**', '**/local/**'],
  message:
    'Only control.ts (which picks a mode) imports remote/ or local/: share through client/ or hosting/.',
};
const noHosting = {
  group: ['**/hosting/**'],
  message: 'client/ talks to a control server for both modes: it imports nothing of hosting/.',
};

// Hosting embeds the server's core (no native module, no server-only package; the
// bundle test in electron/tools checks out/main) behind its store interface.
const serverOnlyButCore = {
  ...serverOnly,
  group: [
    ...serverOnly.group,
    '!**/server/server-core',
    // ignore-style patterns cannot re-include a file under an excluded folder: re-include
    // server/store/, exclude its files again, then let only its interface through.
    '!**/server/store',
    '**/server/store/*',
    '!**/server/store/store',
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'e2e/artifacts/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object instead of an enum.' },
        {
          // A RegExp has no keys, so toMatchObject({ message: /x/ }) passes whatever the message.
          selector:
            "CallExpression[callee.property.name='toMatchObject'] Property > Literal[regex]",
          message: 'toMatchObject ignores a RegExp value: use expect.stringMatching(/…/).',
        },
      ],
      // Prettier keeps code within 100 columns but leaves comments as written.
      'max-len': ['error', { code: 1000, comments: 100, ignoreUrls: true }],
    },
  },
  {
    files: [
      'electron/core/**',
      'electron/headless/**',
      'electron/tools/**',
      'server/**',
      'bench/**',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    // The server is the one party engine and the desktop app one of its clients: the app
    // embeds the server's core, never the other way round. Tests may drive an app client.
    files: ['server/**'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            testOnly,
            {
              group: ['**/electron/**'],
              message: 'server/ imports shared/ and its own modules, never the desktop app.',
            },
            noRenderer,
            noRigs,
          ],
        },
      ],
    },
  },
  // The desktop app ships no native module and none of the server's runtime packages
  // (electron-builder.yml leaves them out of the installer); tests may start a server.
  ...[
    { files: ['electron/main/**', 'electron/preload/**'], paths: [], extra: [noModes] },
    { files: ['electron/headless/**', 'electron/tools/**'], paths: [noElectron], extra: [noModes] },
    { files: ['electron/core/**'], paths: [noElectron], extra: [noShell, noModes] },
    { files: ['electron/core/control.ts'], paths: [noElectron], extra: [noShell] },
    {
      files: ['electron/core/client/**'],
      paths: [noElectron],
      extra: [noShell, noModes, noHosting],
    },
    {
      files: ['electron/core/hosting/embedded/**'],
      paths: [noElectron],
      server: serverOnlyButCore,
      extra: [noShell, noModes],
    },
  ].map(({ files, paths, server = serverOnly, extra = [] }) => ({
    files,
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths, patterns: [server, testOnly, noRenderer, noRigs, ...extra] },
      ],
    },
  })),
  // shared/ and renderer/ run in the browser too; their tests may use test support. What only
  // Node processes use (the server, the app's core, the CLIs) is in shared/node/: still free of
  // Node modules (the web tsconfig compiles it), but the renderer and the rest of shared/ import
  // none of it.
  ...[
    { files: ['renderer/**'], ignores: TEST_FILES, extra: [testOnly] },
    { files: ['shared/**'], ignores: TEST_FILES, extra: [testOnly, noRenderer] },
    { files: TEST_FILES.map((f) => `renderer/${f}`) },
    { files: TEST_FILES.map((f) => `shared/${f}`), extra: [noRenderer] },
  ].map(({ extra = [], ...which }) => ({
    ...which,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            nodeOnly,
            {
              group: ['**/electron/**', '**/server/**'],
              message: 'shared/ and renderer/ depend on nothing but shared/.',
            },
            noRigs,
            noNodeHelpers,
            ...extra,
          ],
        },
      ],
    },
  })),
  {
    // Only the Electron shell, the headless entry and the CLIs read the environment or end
    // the process: the rest is handed what it needs, so a test can hand it something else.
    files: ['shared/**', 'renderer/**', 'server/**', 'electron/core/**', 'electron/headless/**'],
    ignores: [...TEST_FILES, 'server/cli.ts', 'server/build/**', 'electron/headless/cli.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['env', 'exit', 'exitCode'].map((property) => ({
          object: 'process',
          property,
          message: 'Only electron/main, the headless entry and the CLIs use process.' + property,
        })),
      ],
    },
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Plain JS config files are not part of a tsconfig project: lint them without types.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The brief's "files under ~300 lines, functions under ~40", enforced: a new long file or
    // function fails the lint. Tests and their doubles read better as whole scenarios, so
    // they are left out.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/*.spec.ts',
      '**/test-util/**',
      '**/test-support/**',
    ],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
