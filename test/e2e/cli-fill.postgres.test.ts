import { defineFillSuite } from './cli-fill.shared';

defineFillSuite('postgres');
