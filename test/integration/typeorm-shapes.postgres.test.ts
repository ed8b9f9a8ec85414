import { describeShapes, SHAPES } from './typeorm-shapes.shared';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';
describeShapes('postgres', SHAPES);
