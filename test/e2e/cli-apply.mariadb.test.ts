import { defineApplySuite } from './cli-apply.shared';

defineApplySuite('mariadb');
