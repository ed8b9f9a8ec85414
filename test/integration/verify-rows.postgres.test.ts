import { defineVerifyRowsSuite } from './verify-rows.shared';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';

defineVerifyRowsSuite('postgres');
