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
  { files: ['lib/store/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [
    { name: 'ari-client', message: 'Only lib/asterisk/ talks to ari-client.' },
    { name: 'asterisk-manager', message: 'Only lib/asterisk/ talks to asterisk-manager.' }] }] } },
);
