import { defineApplySuite } from './cli-apply.shared';

defineApplySuite('pglite');
