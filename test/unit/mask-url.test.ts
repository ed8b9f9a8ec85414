import { maskUrl } from '../../src/connect/url';

describe('maskUrl', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgres://db/app?user=app&password=s3cret&sslmode=require', 'postgres://db/app?user=app&password=***&sslmode=require'],
    ['mysql://db/app?user=app&password=s3cr%27et', 'mysql://db/app?user=app&password=***'],
    ['postgres://db/app?sslpassword=s3cret', 'postgres://db/app?sslpassword=***'],
    ['mysql://db:not-a-port/app?password=s3cret&x=1', 'mysql://db:not-a-port/app?password=***&x=1'],
  ])('hides the password in %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
    expect(maskUrl(url)).not.toContain('s3cr');
  });
});
