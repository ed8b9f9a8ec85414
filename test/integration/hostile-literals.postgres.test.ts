/** Hostile string literals on a real PostgreSQL server (see hostile-literals.shared.ts). */
import { defineHostileLiteralSuite } from './hostile-literals.shared';

describe('hostile literals', () => {
  defineHostileLiteralSuite('postgres');
});
