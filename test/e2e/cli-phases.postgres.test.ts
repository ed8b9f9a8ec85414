import { definePhasesSuite } from './cli-phases.shared';

definePhasesSuite('postgres');
