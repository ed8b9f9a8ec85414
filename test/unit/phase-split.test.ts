import type { Change } from '../../src/change/change';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import { selectPhase, declaredPhase } from '../../src/apply/phase-selection';
import type { MigrationStatus } from '../../src/apply/migration-status';
import { splitPlanByPhase, syncTriggerName } from '../../src/plan/phase-split';
import { planMigration } from '../../src/plan/plan';
import { parseFillHint } from '../../src/change/column-fill';
import { parseRenameHint } from '../../src/plan/renames';
import { emitMigrationFile } from '../../src/migrations/emit';
import { dataMigrationTemplate } from '../../src/migrations/data-migration-template';
import { phaseWarnings } from '../../src/sync/generate';
import { postgresSql } from '../../src/dialect/postgres/render';
import { renderPlan } from '../../src/plan/render-plan';
import { postgresOnlineStatements } from '../../src/dialect/postgres/online-statements';
import { col, fk, index, int, schema, table, unique, varchar } from '../support/schema-builders';

const n = (s: Schema) => normalizeSchema(s);
const docs = (columns: ReturnType<typeof col>[], options: Parameters<typeof table>[2] = {}) => table('documents', [col('id', int()), ...columns], { pk: ['id'], ...options });
const users = table('users', [col('id', int())], { pk: ['id'] });

/** Each phase's forward and rollback kinds, for a release from `before` to `after`. */
function split(before: Schema, after: Schema, options: { renames?: string[]; fills?: string[]; trigger?: boolean } = {}) {
  const fills = (options.fills ?? []).map(parseFillHint);
  const plan = planMigration(n(before), n(after), { allowDrop: true, renames: (options.renames ?? []).map(parseRenameHint), fills });
  return splitPlanByPhase(plan, n(before), { syncTriggers: options.trigger === true, fills });
}
const kinds = (changes: readonly Change[]) => changes.map((c) => c.kind);

describe('splitPlanByPhase', () => {
  it('writes one phase when only one occurs', () => {
    const parts = split(schema('postgres', [docs([])]), schema('postgres', [docs([col('note', varchar(50), { nullable: true })], { indexes: [index('IDX_note', ['note'])] })]));
    expect(parts.map((p) => p.phase)).toEqual(['expand']);
    expect(kinds(parts[0]?.plan.forward ?? [])).toEqual(['add_column', 'create_index']);
    expect(kinds(parts[0]?.plan.rollback ?? [])).toEqual(['drop_index', 'drop_column']);
  });

  it('puts additions in expand and drops in contract, each with its own rollback', () => {
    const before = schema('postgres', [docs([col('legacy', varchar(10), { nullable: true })]), users]);
    const after = schema('postgres', [docs([col('owner_id', int(), { nullable: true })], { foreignKeys: [fk('FK_owner', ['owner_id'], 'users', ['id'])] }), users]);
    const parts = split(before, after);
    expect(parts.map((p) => [p.phase, kinds(p.plan.forward), kinds(p.plan.rollback)])).toEqual([
      ['expand', ['add_column', 'add_foreign_key'], ['drop_foreign_key', 'drop_column']],
      ['contract', ['drop_column'], ['add_column']],
    ]);
  });

  it('adds a filled NOT NULL column with its fill as default in expand and drops the default in contract', () => {
    const parts = split(schema('postgres', [docs([])]), schema('postgres', [docs([col('priority', int())])]), { fills: ['documents.priority=3'] });
    const [expand, contract] = parts;
    expect(expand?.plan.forward).toEqual([{ kind: 'add_column', table: { schema: null, name: 'documents' }, column: expect.objectContaining({ name: 'priority', nullable: false, default: { kind: 'literal', value: '3' } }) }]);
    expect(contract?.plan.forward).toEqual([expect.objectContaining({ kind: 'alter_column', changed: ['default'] })]);
    expect(contract?.tags[0]?.reason).toBe('priority becomes no default, which inserts from the old release may rely on');
  });

  it('adds an unfilled NOT NULL column nullable in expand and sets NOT NULL in contract', () => {
    const parts = split(schema('postgres', [docs([])]), schema('postgres', [docs([col('priority', int())])]));
    expect(parts.map((p) => [p.phase, p.plan.forward.map((c) => (c.kind === 'add_column' ? `${c.kind} nullable=${c.column.nullable}` : c.kind === 'alter_column' ? `${c.kind} ${c.changed.join()}` : c.kind))])).toEqual([
      ['expand', ['add_column nullable=true']],
      ['contract', ['alter_column nullable']],
    ]);
  });

  it('turns a rename into add + trigger + copy, then catch-up copy + drop, each undone in its rollback', () => {
    const before = schema('postgres', [docs([col('title', varchar(200))])]);
    const after = schema('postgres', [docs([col('headline', varchar(200))])]);
    const [expand, contract] = split(before, after, { renames: ['documents.title=headline'], trigger: true });
    expect(kinds(expand?.plan.forward ?? [])).toEqual(['add_column', 'alter_column', 'create_sync_trigger', 'copy_column']);
    expect(kinds(expand?.plan.rollback ?? [])).toEqual(['copy_column', 'drop_sync_trigger', 'alter_column', 'drop_column']);
    expect(kinds(contract?.plan.forward ?? [])).toEqual(['drop_sync_trigger', 'copy_column', 'alter_column', 'drop_column']);
    expect(kinds(contract?.plan.rollback ?? [])).toEqual(['add_column', 'alter_column', 'copy_column', 'create_sync_trigger']);
    // The rollback copies back the other way; nothing is ever a RENAME.
    expect(expand?.plan.rollback[0]).toEqual({ kind: 'copy_column', table: { schema: null, name: 'documents' }, from: 'headline', to: 'title', key: ['id'] });
    expect([...(expand?.plan.forward ?? []), ...(contract?.plan.forward ?? [])].some((c) => c.kind === 'rename_column')).toBe(false);
    // The new column comes nullable and without a default, and becomes NOT NULL in contract.
    const added = expand?.plan.forward[0];
    expect(added?.kind === 'add_column' && added.column.nullable).toBe(true);
    const finish = contract?.plan.forward[2];
    expect(finish?.kind === 'alter_column' && finish.changed).toEqual(['nullable']);
  });

  it('walks a primary key of several columns, and refuses a table without one, or a key column, naming the way out', () => {
    const logs = (name: string, pk: string[]) => schema('postgres', [table('logs', [col('a', int()), col('b', int()), col(name, varchar(20))], pk.length === 0 ? {} : { pk })]);
    const [expand] = split(logs('msg', ['a', 'b']), logs('message', ['a', 'b']), { renames: ['logs.msg=message'] });
    expect(expand?.plan.forward.find((change) => change.kind === 'copy_column')).toEqual({ kind: 'copy_column', table: { schema: null, name: 'logs' }, from: 'msg', to: 'message', key: ['a', 'b'] });
    expect(() => split(logs('msg', []), logs('message', []), { renames: ['logs.msg=message'] })).toThrow(
      '--rename logs.msg=message: the copy walks the primary key, and logs has none; a phased rename needs that (or give --single-phase for a plain RENAME COLUMN)',
    );
    const keyed = (name: string) => schema('postgres', [table('logs', [col('a', int()), col(name, int()), col('m', varchar(20))], { pk: ['a', name] })]);
    expect(() => split(keyed('b'), keyed('c'), { renames: ['logs.b=c'] })).toThrow('--rename logs.b=c: b is part of the primary key (a, b), which cannot be copied to a new column under live traffic');
  });

  it('names sync triggers within both servers\u2019 limits', () => {
    expect(syncTriggerName({ schema: null, name: 'documents' }, 'title')).toBe('schema_sync_documents_title');
    const long = syncTriggerName({ schema: null, name: 'a'.repeat(60) }, 'b'.repeat(60));
    expect(long.length).toBeLessThanOrEqual(56);
    expect(long).not.toBe(syncTriggerName({ schema: null, name: 'a'.repeat(60) }, `${'b'.repeat(59)}c`));
  });

  it('emits the phase, and a copy that batches and commits on the server (PostgreSQL)', () => {
    const before = n(schema('postgres', [docs([col('title', varchar(200))])]));
    const [expand] = split(before, schema('postgres', [docs([col('headline', varchar(200))])]), { renames: ['documents.title=headline'] });
    const rendered = renderPlan(expand?.plan ?? { forward: [], rollback: [], held: [], reorders: [], likelyRenames: [] }, before, postgresSql);
    const text = emitMigrationFile({ release: '1.1.0', dialect: 'postgres', generatedAt: new Date(0), toolVersion: '0', changes: ['x'], warnings: [], held: [], phase: 'expand', changeReasons: ['y'], migrate: rendered.migrate, rollback: rendered.rollback });
    expect(declaredPhase(text)).toBe('expand');
    expect(text).toContain('SELECT (array_agg(k ORDER BY k))[1], (array_agg(k ORDER BY k DESC))[1] INTO schema_sync_lo, schema_sync_hi FROM (SELECT "id" AS k FROM "documents" WHERE "headline" IS NULL AND "title" IS NOT NULL AND "id" > schema_sync_hi ORDER BY "id" LIMIT 1000) AS batch;');
    expect(text).toContain('    COMMIT;\n');
    expect(text).toContain('await db.execute(`DO $schema_sync_copy$');
    expect(text).not.toContain('copyInBatches');
    expect(postgresOnlineStatements.noTransaction.test(rendered.migrate.at(-1)?.statements[0] ?? '')).toBe(true);
    expect(postgresOnlineStatements.embeddedForm(rendered.migrate.at(-1)?.statements[0] ?? '')).not.toContain('COMMIT');
    expect(declaredPhase(text.replace('export const phase = "expand";', ''))).toBeNull();
  });
});

describe('selectPhase', () => {
  const status = (id: string, phase: 'expand' | 'contract' | null): MigrationStatus => ({
    id,
    release: '1.0.0',
    state: 'pending',
    record: null,
    file: { id, release: { version: '1.0.0', major: 1, minor: 0, patch: 0, prerelease: null }, name: id, path: `/m/${id}.ts`, checksum: 'c', phase },
  });
  const ids = (list: readonly MigrationStatus[]) => list.map((s) => s.id);

  it('selects the pending migrations of one phase, all without --phase', () => {
    const pending = [status('a_expand', 'expand'), status('a_contract', 'contract')];
    expect(ids(selectPhase(pending, 'expand'))).toEqual(['a_expand']);
    expect(ids(selectPhase(pending.slice(1), 'contract'))).toEqual(['a_contract']);
    expect(ids(selectPhase(pending, undefined))).toEqual(['a_expand', 'a_contract']);
    expect(selectPhase(pending.slice(1), 'expand')).toEqual([]);
  });

  it('refuses to run a phase around a pending migration of the other phase or of none', () => {
    expect(() => selectPhase([status('a_expand', 'expand'), status('a_contract', 'contract')], 'contract')).toThrow(
      'apply --phase contract: a_expand comes before the contract migrations to apply, and it is a pending expand migration: run apply --phase expand --to a_expand first.',
    );
    expect(() => selectPhase([status('old', null), status('b_expand', 'expand')], 'expand')).toThrow('old comes before the expand migrations to apply, and it declares no phase');
  });

  it('refuses, rather than report nothing to do, when only migrations that declare no phase are pending', () => {
    // A release generated before phases (the committed example is one): a phased pipeline would never apply it.
    expect(() => selectPhase([status('initial', null)], 'expand')).toThrow('apply --phase expand: initial is pending and declares no phase');
    expect(() => selectPhase([status('a_expand', 'expand'), status('old', null)], 'contract')).toThrow('apply --phase contract: old is pending and declares no phase');
    expect(selectPhase([status('a_contract', 'contract')], 'expand')).toEqual([]);
  });
});

describe('new-data-migration --phase', () => {
  it('declares the phase in the template only when asked', () => {
    const target = { table: 'documents', key: 'id', column: 'language', value: 'en' };
    const expand = dataMigrationTemplate('backfill', '1.1.0', 'postgres', new Date(0), target, 'expand');
    expect(declaredPhase(expand)).toBe('expand');
    expect(expand).toContain('/** Run by `apply --phase expand` (before the rollout). */');
    expect(declaredPhase(dataMigrationTemplate('backfill', '1.1.0', 'postgres', new Date(0), target))).toBeNull();
  });
});

describe('phaseWarnings', () => {
  it('says what a phased release cannot do by itself: a nullable NOT NULL column, an untriggered rename, a table rename', () => {
    const before = n(schema('postgres', [docs([col('title', varchar(200))]), table('tags', [col('id', int())], { pk: ['id'] })]));
    const after = n(schema('postgres', [docs([col('headline', varchar(200)), col('priority', int())]), table('labels', [col('id', int())], { pk: ['id'] })]));
    const plan = planMigration(before, after, { allowDrop: true, renames: ['documents.title=headline', 'tags=labels'].map(parseRenameHint) });
    expect(phaseWarnings(plan, before, {})).toEqual([
      'tags -> labels is renamed in the contract phase: until then the new release finds no labels (deploy this rename with downtime, or keep the old name for a release)',
      'documents.title -> headline without --sync-trigger: rows the old release inserts are caught up in the contract phase, but its updates to existing rows during the rollout do not reach headline',
      "documents.priority is added nullable: rows the old release inserts during the rollout leave it NULL, and the contract phase's SET NOT NULL fails on them (sync --fill documents.priority=value gives them a value)",
    ]);
    expect(phaseWarnings(plan, before, { syncTrigger: true })).toHaveLength(2);
    expect(phaseWarnings(plan, before, { singlePhase: true })).toEqual([]);
  });
});

describe('a phased rename in the rendered rollback', () => {
  it('claims no data loss for the old column the contract rollback adds back, since the copy refills it', () => {
    const before = n(schema('postgres', [docs([col('title', varchar(200))])]));
    const [expand, contract] = split(before, schema('postgres', [docs([col('headline', varchar(200))])]), { renames: ['documents.title=headline'] });
    const afterExpand = renderPlan(expand?.plan ?? { forward: [], rollback: [], held: [], reorders: [], likelyRenames: [] }, before, postgresSql).after;
    const rendered = renderPlan(contract?.plan ?? { forward: [], rollback: [], held: [], reorders: [], likelyRenames: [] }, afterExpand, postgresSql);
    expect(rendered.rollback.map((group) => group.dataLoss ?? null)).toEqual([null, null, null]);
    expect(rendered.rollback.map((group) => group.statements)).toEqual([
      ['ALTER TABLE "documents" ADD COLUMN "title" varchar(200)'],
      ['ALTER TABLE "documents" ALTER COLUMN "headline" DROP NOT NULL'],
      [expect.stringContaining('UPDATE "documents" SET "title" = "headline" WHERE "id" >= schema_sync_lo AND "id" <= schema_sync_hi AND "title" IS NULL;')],
    ]);
  });
});

describe('keys on a phased rename\u2019s new column', () => {
  it('count as keys over an existing column: the copy and the trigger feed it what the old release writes', () => {
    const before = schema('postgres', [docs([col('title', varchar(200))])]);
    const after = schema('postgres', [docs([col('headline', varchar(200))], { uniques: [unique('UQ_headline', ['headline'])], indexes: [index('IDX_headline', ['headline'])] })]);
    const [expand, contract] = split(before, after, { renames: ['documents.title=headline'] });
    expect(kinds(expand?.plan.forward ?? [])).toEqual(['add_column', 'alter_column', 'copy_column', 'create_index']);
    expect(kinds(contract?.plan.forward ?? [])).toEqual(['copy_column', 'alter_column', 'add_unique', 'drop_column']);
    expect(contract?.tags[2]?.reason).toBe('a unique key over existing columns: the old release may write duplicates it refuses');
  });
});
