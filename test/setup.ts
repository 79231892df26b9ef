// Tests never touch the internet: every outbound connection is refused except loopback.
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost') || host.startsWith('[::1]'));
});

afterAll(() => {
  nock.cleanAll();
});
