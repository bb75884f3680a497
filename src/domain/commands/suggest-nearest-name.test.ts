import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from './schema.js';
import { suggestNearestName } from './suggest-nearest-name.js';

describe('suggestNearestName', () => {
  it.each<[string, string | null]>([
    ['aprove', 'approve'],
    ['approved', 'approve'],
    ['APROVE', 'approve'],
    ['cancle', 'cancel'],
    ['skip_auth', 'skip-auth'],
    ['skipauth', 'skip-auth'],
    ['restar', 'restart'],
    ['revice', 'revise'],
    ['stats', 'status'],
    ['add-table', 'add-tables'],
    ['s', null],
    ['go', null],
    ['deploy', null],
    ['', null],
  ])('suggests for %j: %j', (word, expected) => {
    const result = suggestNearestName(word, COMMAND_NAMES);

    expect(result).toBe(expected);
  });

  it('prefers the earlier name on a tie', () => {
    const names = ['ab', 'ba'];

    const result = suggestNearestName('aa', names);

    expect(result).toBe('ab');
  });
});
