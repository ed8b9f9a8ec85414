import { defineOnlineLoadSuite } from './online-load.shared';

jest.setTimeout(120_000);
defineOnlineLoadSuite('postgres');
