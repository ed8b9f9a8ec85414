import { corpusRow, renderCorpusTable } from '../../src/conformance/corpus-table';
import type { ScenarioResult } from '../../src/conformance/scenario';

const FACTS = { project: 'shop', commit: 'abc1234', typeorm: '0.3.28' };

describe('the corpus table', () => {
  it('says 0 changes and a clean round trip when TypeORM and we agree', () => {
    const result: ScenarioResult = {
      id: 'shop',
      dialect: 'postgres',
      typeorm: { status: 'clean', entities: 31 },
      ours: [{ mode: 'ts', status: 'in-sync', tables: 33 }, { mode: 'js', status: 'in-sync', tables: 33 }],
      roundTrip: { status: 'clean', statements: 71, typeormLog: 'empty', tables: 33 },
      ms: 1,
    };
    expect(corpusRow(FACTS, result)).toEqual({
      project: 'shop (33 tables)',
      commit: 'abc1234',
      typeorm: '0.3.28',
      database: 'PostgreSQL',
      loads: 'yes (ts, js)',
      agreement: '0 changes',
      roundTrip: 'clean (71 statements)',
    });
  });

  it("says TypeORM's failure where the agreement would be, and the round trip run without its log()", () => {
    const result: ScenarioResult = {
      id: 'shop',
      dialect: 'mariadb',
      typeorm: { status: 'error', error: "TypeORM's synchronize() fails: constraint \"PK_1\" of relation \"a_b\" does not exist" },
      ours: [],
      roundTrip: { status: 'clean', statements: 12, typeormLog: 'not consulted', tables: 3 },
      ms: 1,
    };
    const row = corpusRow(FACTS, result);
    expect(row).toMatchObject({
      project: 'shop (3 tables)',
      database: 'MariaDB',
      loads: 'yes (ts)',
      agreement: "TypeORM's synchronize() fails: constraint \"PK_1\" of relation \"a_b\" does not exist",
      roundTrip: "clean (12 statements; TypeORM's log() not consulted)",
    });
    expect(renderCorpusTable([row]).split('\n')).toEqual([
      '| project | commit | TypeORM | database | loads | agreement | round trip |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      "| shop (3 tables) | abc1234 | 0.3.28 | MariaDB | yes (ts) | TypeORM's synchronize() fails: constraint \"PK_1\" of relation \"a_b\" does not exist | clean (12 statements; TypeORM's log() not consulted) |",
    ]);
  });

  it("says our diff beside TypeORM's own unclean log()", () => {
    const result: ScenarioResult = {
      id: 'shop',
      dialect: 'postgres',
      typeorm: { status: 'unclean', entities: 2, pending: ['ALTER TABLE "a" ALTER COLUMN "v" SET DEFAULT 0'] },
      ours: [{ mode: 'ts', status: 'in-sync', tables: 2 }],
      roundTrip: { status: 'clean', statements: 4, typeormLog: 'as after its synchronize()', tables: 2 },
      ms: 1,
    };
    expect(corpusRow(FACTS, result).agreement).toBe('0 changes; TypeORM\'s own log() not empty after its synchronize() (1): ALTER TABLE "a" ALTER COLUMN "v" SET DEFAULT 0');
    expect(corpusRow(FACTS, result).roundTrip).toBe("clean (4 statements; TypeORM's log() as after its own synchronize())");
  });

  it('names the changes our diff found and the stage a round trip failed at, a pipe escaped', () => {
    const result: ScenarioResult = {
      id: 'shop',
      dialect: 'pglite',
      typeorm: { status: 'clean', entities: 2 },
      ours: [{ mode: 'ts', status: 'changes', changes: [{ cause: 'index', detail: 'orders: index a|b' }], tables: 2 }, { mode: 'js', status: 'error', error: 'Cannot find module x' }],
      roundTrip: { status: 'failed', stage: 'rollback', cause: 'rollback: x', detail: 'refused' },
      ms: 1,
    };
    const row = corpusRow(FACTS, result);
    expect(row).toMatchObject({ loads: 'js: no, Cannot find module x', agreement: 'ts: 1 change(s), orders: index a|b; js: Cannot find module x', roundTrip: 'fails at rollback: refused' });
    expect(renderCorpusTable([row])).toContain('orders: index a\\|b');
  });
});
