import { collectGarbage } from '../../src/util/collect-garbage';

describe('collectGarbage', () => {
  it('runs a full collection: an object only a WeakRef points to is gone after it', async () => {
    const ref = new WeakRef({ payload: new Array(10_000).fill('x') });
    // A WeakRef keeps its target alive until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });

  it('leaves no gc global behind, in this context or in a new one', () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
    collectGarbage();
    expect(typeof (globalThis as { gc?: unknown }).gc === 'function').toBe(hadGc);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vm = require('node:vm') as typeof import('node:vm');
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  });
});
