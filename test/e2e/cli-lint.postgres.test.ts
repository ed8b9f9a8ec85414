import { defineLint } from './cli-lint.shared';

defineLint('postgres');
