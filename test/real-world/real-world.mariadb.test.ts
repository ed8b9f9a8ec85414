import { describeRealWorld } from './real-world.shared';

describeRealWorld('mariadb', ['1.x', '0.3.x']);
