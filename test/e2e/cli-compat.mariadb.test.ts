import { defineCompat, defineCompatDataSource } from './cli-compat.shared';

defineCompat('mariadb');
defineCompatDataSource('mariadb');
