import { describeLeftAlone } from './left-alone.shared';

process.env.SCHEMA_SYNC_DIALECT = 'mariadb';
describeLeftAlone('mariadb');
