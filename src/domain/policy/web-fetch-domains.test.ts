import { describe, expect, it } from 'vitest';
import { buildWebFetchDomains, isPublicHostname } from './web-fetch-domains.js';

describe('buildWebFetchDomains', () => {
  it('takes the hosts of the documentation links, lower-cased and deduplicated, then the configured domains', () => {
    const domains = buildWebFetchDomains({
      docsUrls: [
        'https://Developer.Brightdesk.io/api/v2#auth',
        'https://developer.brightdesk.io/guides/pagination',
        'http://status.brightdesk.io:8080/',
        'https://developer.brightdesk.io./rate-limits',
      ],
      allowedDomains: ['readme.io', 'Developer.Brightdesk.io'],
    });

    expect(domains).toEqual(['developer.brightdesk.io', 'status.brightdesk.io', 'readme.io']);
  });

  it.each([
    ['http://127.0.0.1/docs'],
    ['http://10.0.0.5/api'],
    ['http://localhost:3000/docs'],
    ['http://[::1]/docs'],
    ['http://169.254.169.254/latest/meta-data/'],
    ['http://192.168.1.10/'],
    ['http://2130706433/'],
    ['http://0x7f.0.0.1/'],
    ['http://[fe80::1]/'],
    ['http://docs.localhost/'],
    ['http://wiki.corp.internal/api'],
    ['http://printer.local/'],
    ['http://intranet/'],
    ['ftp://docs.example.com/api'],
    ['file:///etc/passwd'],
    ['not a url'],
  ])('never allows %s', (link) => {
    expect(buildWebFetchDomains({ docsUrls: [link], allowedDomains: [] })).toEqual([]);
  });

  it('drops an internal host from the configured list too', () => {
    expect(
      buildWebFetchDomains({ docsUrls: [], allowedDomains: ['127.0.0.1', 'localhost', 'docs.example.com'] }),
    ).toEqual(['docs.example.com']);
  });

  it('keeps the public hosts when internal ones sit beside them', () => {
    const domains = buildWebFetchDomains({
      docsUrls: ['http://127.0.0.1/x', 'https://api.example.com/docs', 'http://[::1]/'],
      allowedDomains: [],
    });

    expect(domains).toEqual(['api.example.com']);
  });
});

describe('isPublicHostname', () => {
  it.each([
    ['docs.example.com', true],
    ['xn--bcher-kva.example', true],
    ['example.com', true],
    ['Example.com', false],
    ['*.example.com', false],
    ['example.com/docs', false],
    ['https://example.com', false],
    ['example.com:443', false],
    ['10.0.0.5', false],
    ['localhost', false],
    ['com', false],
  ])('%s → %s', (host, expected) => {
    expect(isPublicHostname(host)).toBe(expected);
  });
});
