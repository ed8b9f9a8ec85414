import { defineKillLoop } from './kill-loop.shared';

defineKillLoop('mariadb');
