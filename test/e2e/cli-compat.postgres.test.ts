import { defineCompat, defineCompatDataSource } from './cli-compat.shared';

defineCompat('postgres');
defineCompatDataSource('postgres');
