import { describeRealWorld, MYSQL_03_PROJECTS } from './real-world.shared';

describeRealWorld('mariadb', ['1.x', '0.3.x']);
describeRealWorld('mariadb', ['0.3.x'], MYSQL_03_PROJECTS, []);
