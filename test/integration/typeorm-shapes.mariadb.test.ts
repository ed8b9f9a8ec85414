import { describeShapes, SHAPES } from './typeorm-shapes.shared';

process.env.SCHEMA_SYNC_DIALECT = 'mariadb';
describeShapes('mariadb', SHAPES);
