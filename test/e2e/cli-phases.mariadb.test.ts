import { definePhasesSuite } from './cli-phases.shared';

definePhasesSuite('mariadb');
