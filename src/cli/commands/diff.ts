import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { connect, defaultEmbeddedDir } from '../../connect/connect';
import { costAgainstLive } from '../../dialect/lock-impacts';
import { ONLINE_BY_DEFAULT } from '../../plan/online';
import { buildDiffReport } from '../../report/diff-report';
import { renderHumanReport } from '../../report/human-report';
import { computeDiff } from '../../sync/compute-diff';
import { databaseUrlOf, describeSource, declaredIndexesOf, ignoreGlobsOf, modelSourceOf, projectDirOf, withCommonOptions, type CommonArgs } from '../common-options';
import { err, out } from '../output';

/** Arguments of `diff` / `sync --diff`. */
export interface DiffArgs extends CommonArgs {
  readonly 'exit-code'?: boolean;
  readonly diff?: boolean;
}

/** Exit codes of a diff run with --exit-code. */
export const EXIT = { inSync: 0, error: 1, differences: 2 } as const;

/** Runs the diff and prints it; returns the process exit code. */
export async function runDiff(args: DiffArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  const source = modelSourceOf(args);
  const ignore = ignoreGlobsOf(args, projectDir);
  const client = await connect({
    url: databaseUrlOf(args),
    embeddedDir: path.resolve(projectDir, args['embedded-dir'] ?? defaultEmbeddedDir(projectDir)),
  });
  try {
    const outcome = await computeDiff(client, { projectDir, source, ignore, indexes: declaredIndexesOf(args, projectDir) });
    const costs = costAgainstLive(outcome.diff.changes, outcome, ONLINE_BY_DEFAULT);
    const report = buildDiffReport(client.dialect, client.target, outcome.diff.changes, outcome.diff.suggestions, outcome.diff.unmanaged, costs);
    if (args.json === true) {
      out(JSON.stringify(report, null, 2));
    } else {
      out(renderHumanReport(report, describeSource(source)));
    }
    if (args.verbose === true) {
      const t = outcome.timings;
      err(`load models ${t.loadModelsMs.toFixed(0)} ms (${outcome.models.entityCount} tables), introspect ${t.introspectMs.toFixed(0)} ms (${t.catalogQueries} catalog queries), diff ${t.diffMs.toFixed(1)} ms`);
    }
    return args['exit-code'] === true && !report.inSync ? EXIT.differences : EXIT.inSync;
  } finally {
    await client.close();
  }
}

/** `schema-sync diff`: compare the models with the database and report every difference. */
export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff',
  describe: 'Show how the database differs from the models (same as sync --diff)',
  builder: (yargs: Argv) => withCommonOptions(yargs)
      .option('exit-code', { type: 'boolean', describe: 'Exit 2 when there are differences, 1 on error, 0 in sync' })
      .option('config', { type: 'string', describe: 'Settings file (default schema-sync.json in the project)' }) as Argv<DiffArgs>,
  handler: async (args: ArgumentsCamelCase<DiffArgs>) => {
    process.exitCode = await runDiff(args);
  },
};
