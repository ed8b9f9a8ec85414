import { defineApplySuite } from './cli-apply.shared';

defineApplySuite('postgres');
