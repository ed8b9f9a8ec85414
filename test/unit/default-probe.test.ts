import { postgresDefaultProbe } from '../../src/dialect/postgres/default-probe';
import { col, expr, varchar } from '../support/schema-builders';

describe('postgresDefaultProbe', () => {
  it("tries the model's expression on a temporary column of the model's type and reads PostgreSQL's spelling back", () => {
    const probe = postgresDefaultProbe(col('code', varchar(20), { default: expr("('AA'|| COALESCE(NULL, '1'))") }));
    expect(probe.create).toBe(`CREATE TEMPORARY TABLE pg_temp.schema_sync_default_probe ("probe" varchar(20) DEFAULT ('AA'|| COALESCE(NULL, '1')))`);
    expect(probe.read).toContain("ad.adrelid = 'pg_temp.schema_sync_default_probe'::regclass");
  });
});
