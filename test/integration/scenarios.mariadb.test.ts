import { defineScenarios } from './scenarios.shared';

defineScenarios('mariadb');
