import { describeViews } from './views.shared';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';
describeViews('postgres');
