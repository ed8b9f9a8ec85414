import { defineScenarios } from './scenarios.shared';

defineScenarios('pglite');
