import { defineWorkflow } from './cli-sync.shared';

defineWorkflow('postgres');
