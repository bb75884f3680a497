import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-io.js';
import { parseDoctorOptions } from './doctor-options.js';

describe('parseDoctorOptions', () => {
  it('defaults to the current folder and the table', () => {
    expect(parseDoctorOptions([], '/work/fork')).toEqual({ repo: '/work/fork', json: false, help: false });
  });

  it.each([
    [['--repo', 'lcc', '--json'], '/work/lcc'],
    [['-C', '../lcc', '--json'], '/lcc'],
    [['--repo=/abs/lcc', '--json'], '/abs/lcc'],
  ])('reads %j', (args, repo) => {
    expect(parseDoctorOptions(args, '/work')).toEqual({ repo, json: true, help: false });
  });

  it.each([
    [['--bogus'], 'unknown option: --bogus'],
    [['--repo'], '--repo needs a folder: --repo <dir>'],
    [['--repo', '--json'], '--repo needs a folder: --repo <dir>'],
    [['--repo='], '--repo needs a folder: --repo <dir>'],
    [['--json=yes'], "Option '--json' does not take an argument"],
    [['lcc'], 'unexpected argument: lcc (give the checkout as --repo <dir>)'],
  ])('refuses %j', (args, message) => {
    expect(() => parseDoctorOptions(args, '/work')).toThrow(new UsageError(message));
  });
});
