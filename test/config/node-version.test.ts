/** An unsupported Node.js is refused at start with the version it needs (main.ts exits with it). */
import { describe, expect, it } from 'vitest';
import { unsupportedNode } from '../../src/config/node-version.js';

describe('the Node.js version check', () => {
  it('refuses versions before 22.15, naming both versions', () => {
    expect(unsupportedNode('20.20.2')).toBe(
      'wechat-graphql-gateway needs Node.js 22.15 or newer (package.json "engines"); this is Node.js 20.20.2. Install Node.js 22 LTS (https://nodejs.org/en/download) and run the same command again.',
    );
    expect(unsupportedNode('22.14.0')).toContain('this is Node.js 22.14.0');
    expect(unsupportedNode('18.0.0')).toBeDefined();
  });

  it('accepts 22.15 and later, and this test run’s own Node (CI runs Node 22)', () => {
    for (const version of ['22.15.0', '22.23.5', '23.0.0', '24.1.0', '30.0.0']) {
      expect(unsupportedNode(version)).toBeUndefined();
    }
    expect(unsupportedNode(process.versions.node)).toBeUndefined();
  });

  it('matches package.json "engines"', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    expect(pkg.engines.node).toBe('>=22.15');
  });
});
