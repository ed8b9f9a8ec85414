/**
 * `sync --diff` reports the raw differences; the flags that shape the migration `sync` writes do not reach it, so
 * they are refused by name instead of being silently dropped (a reader took the report for the plan).
 */
import { runSync } from '../../src/cli/commands/sync';

describe('sync --diff with flags of sync', () => {
  it.each([
    [{ rename: ['documents.title=headline'] }, '--rename'],
    [{ fill: ['documents.language=en'] }, '--fill'],
    [{ 'single-phase': true }, '--single-phase'],
    [{ 'sync-trigger': true }, '--sync-trigger'],
  ])('refuses %j, naming the flag', async (flags, name) => {
    await expect(runSync({ diff: true, ...flags } as Parameters<typeof runSync>[0])).rejects.toThrow(`sync --diff does not take ${name}`);
  });
});
