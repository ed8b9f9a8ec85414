import { defineCompat } from './cli-compat.shared';

defineCompat('mariadb');
