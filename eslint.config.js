import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/vendor/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'ari-client', message: 'Only lib/asterisk/ talks to ari-client.' },
          { name: 'asterisk-manager', message: 'Only lib/asterisk/ talks to asterisk-manager.' },
          { name: 'redis', message: 'Only lib/store/ talks to redis.' },
        ],
      }],
    },
  },
  { files: ['lib/asterisk/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  // a failing assert without a message makes Node re-parse the TypeScript source to print the
  // expression, which can spin for minutes under tsx (a hung suite instead of a red test)
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-syntax': ['error',
    { selector: "CallExpression[callee.object.name='assert'][callee.property.name='ok'][arguments.length<2]", message: 'Give assert.ok a message: without one a failure can hang the run.' },
    { selector: "CallExpression[callee.name='assert'][arguments.length<2]", message: 'Give assert a message: without one a failure can hang the run.' }] } },
  { files: ['lib/store/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [
    { name: 'ari-client', message: 'Only lib/asterisk/ talks to ari-client.' },
    { name: 'asterisk-manager', message: 'Only lib/asterisk/ talks to asterisk-manager.' }] }] } },
);
