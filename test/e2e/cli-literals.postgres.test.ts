import { defineLiteralSuite } from './cli-literals.shared';

defineLiteralSuite('postgres');
