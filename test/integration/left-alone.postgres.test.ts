import { describeLeftAlone } from './left-alone.shared';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';
describeLeftAlone('postgres');
