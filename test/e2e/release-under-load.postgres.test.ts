import { defineReleaseUnderLoad } from './release-under-load.shared';

jest.setTimeout(600_000);
defineReleaseUnderLoad('postgres');
