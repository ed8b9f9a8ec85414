import { postgresDefaultProbe } from '../../src/dialect/postgres/default-probe';
import { col, expr, timestamp, varchar } from '../support/schema-builders';

describe('postgresDefaultProbe', () => {
  it("tries each model expression on a temporary column of the model's type and reads PostgreSQL's spelling back", () => {
    const probe = postgresDefaultProbe([
      col('code', varchar(20), { default: expr("('AA'|| COALESCE(NULL, '1'))") }),
      col('at', timestamp(), { default: expr('CURRENT_TIMESTAMP') }),
    ]);
    expect(probe.create).toBe(
      `CREATE TEMPORARY TABLE pg_temp.schema_sync_default_probe ("c0" varchar(20) DEFAULT ('AA'|| COALESCE(NULL, '1')), "c1" timestamp DEFAULT CURRENT_TIMESTAMP)`,
    );
    expect(probe.read).toContain("ad.adrelid = 'pg_temp.schema_sync_default_probe'::regclass");
  });
});
