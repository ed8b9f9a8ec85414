import { defineScenarios } from './scenarios.shared';

defineScenarios('postgres');
