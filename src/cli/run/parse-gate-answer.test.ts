import { describe, expect, it } from 'vitest';
import { parseConnectorRequest } from '../../domain/intake/parse-connector-request.js';
import { buildIssueBody } from './build-issue-body.js';
import { parseGateAnswer, renderGateQuestion } from './parse-gate-answer.js';

describe('parseGateAnswer', () => {
  it.each([
    ['a', 'stage', { type: 'approve' }],
    [' Approve ', 'plan', { type: 'approve' }],
    ['/approve', 'next_batch', { type: 'approve' }],
    ['r use cursor pagination', 'stage', { type: 'revise', feedback: 'use cursor pagination' }],
    ['revise tables: a, b', 'plan', { type: 'revise', feedback: 'tables: a, b' }],
    ['c', 'credentials', { type: 'cancel' }],
    ['s', 'credentials', { type: 'skip-auth' }],
    ['t', 'failed', { type: 'retry' }],
  ] as const)('reads %j at a %s gate', (line, gate, command) => {
    expect(parseGateAnswer(line, gate)).toEqual({ kind: 'command', command });
  });

  it.each([
    ['', 'stage', 'answer [a]pprove / [r]evise <text> / [c]ancel'],
    ['r', 'stage', 'revise needs feedback text after it'],
    ['s', 'stage', 'skip-auth only applies at the credentials check'],
    ['a', 'failed', 'a failed stage cannot be approved'],
    ['t', 'plan', 'there is nothing to retry here'],
    ['yes please', 'plan', '"yes please" is not an answer here'],
  ] as const)('refuses %j at a %s gate, saying what would work', (line, gate, message) => {
    const answer = parseGateAnswer(line, gate);

    expect(answer.kind).toBe('invalid');
    expect(answer.kind === 'invalid' && answer.message).toContain(message);
  });

  it('offers skip-auth only at the credentials check', () => {
    expect(renderGateQuestion('credentials')).toBe('[a]pprove / [r]evise <text> / [c]ancel / [s]kip-auth > ');
    expect(renderGateQuestion('failed')).toBe('[t]ry again / [r]evise <text> / [c]ancel > ');
  });
});

describe('buildIssueBody', () => {
  it('renders the issue form so the intake parser reads back the same request', () => {
    const body = buildIssueBody({
      source: 'brightdesk',
      docsUrls: ['https://developer.brightdesk.example/api'],
      tables: 'tickets, agents',
      notes: '',
    });

    expect(parseConnectorRequest(body)).toEqual({
      ok: true,
      request: {
        source: 'brightdesk',
        docsUrls: ['https://developer.brightdesk.example/api'],
        tables: ['tickets', 'agents'],
        notes: '',
      },
    });
  });

  it('lets the parser report a bad source name and link with its own messages', () => {
    const parsed = parseConnectorRequest(
      buildIssueBody({ source: 'Bright Desk', docsUrls: ['ftp://x'], tables: '', notes: '' }),
    );

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((error) => error.field)).toEqual([
      'Source name',
      'API documentation links',
    ]);
  });
});
