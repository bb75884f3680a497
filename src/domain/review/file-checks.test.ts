import { describe, expect, it } from 'vitest';
import { goodFiles, P } from '../verify/fixture.test-support.js';
import { buildSelfReview } from './build-self-review.js';
import { checkConnectorFiles } from './file-checks.js';
import { CHECK_IDS } from './rubric.js';
import type { CheckResult } from './schema.js';

function check(files: Map<string, string>): Map<string, CheckResult> {
  return new Map(checkConnectorFiles({ source: 'acme_crm', files }).map((result) => [result.id, result]));
}

function withFile(path: string, text: string | null): Map<string, string> {
  const files = goodFiles();
  if (text === null) files.delete(path);
  else files.set(path, text);
  return files;
}

describe('checkConnectorFiles', () => {
  it('passes what the files of a good connector settle, and leaves judgement calls to the reviewer', () => {
    const results = check(goodFiles());

    expect([...results.values()].filter((result) => result.result !== 'pass')).toEqual([]);
    expect([...results.keys()].sort()).toEqual(
      ['A1', 'A2', 'A10', 'A13', 'B1', 'B2', 'B3', 'B4', 'B6', 'B7', 'C2', 'C4', 'C5', 'C8', 'C9', 'C10']
        .concat(['D2', 'D3', 'D4', 'D5', 'D6', 'D9'])
        .sort(),
    );
    expect(results.get('A1')).toMatchObject({ citation: `${P.implementation}:21` });
  });

  it('fails A13 when __init__.py has no DataSource, citing the file', () => {
    const results = check(withFile(P.init, 'from .acme_crm import AcmeCrmLakeflowConnect\n'));

    expect(results.get('A13')).toMatchObject({ result: 'fail', citation: P.init });
  });

  it('fails every test check when the test file is missing', () => {
    const results = check(withFile(P.testFile, null));

    for (const id of ['B1', 'B2', 'B3', 'B4', 'C9'])
      expect(results.get(id), id).toMatchObject({ result: 'fail' });
  });

  it('fails B4 when simulator_source names another source, citing its line', () => {
    const test = goodFiles().get(P.testFile)?.replace('"acme_crm"', '"example"') ?? '';

    expect(check(withFile(P.testFile, test)).get('B4')).toMatchObject({
      result: 'fail',
      citation: `${P.testFile}:7`,
    });
  });

  it('finds eval, verify=False and http:// with the line they are on', () => {
    const code = `${goodFiles().get(P.implementation)}\n\ndef _parse(text):\n    return eval(text)\n\nBASE = "http://acme.example"\nrequests.get(BASE, verify=False, timeout=5)\n`;
    const lines = code.split('\n');
    const lineOf = (needle: string) => lines.findIndex((line) => line.includes(needle)) + 1;

    const results = check(withFile(P.implementation, code));

    expect(results.get('D2')).toMatchObject({
      result: 'fail',
      citation: `${P.implementation}:${lineOf('eval(')}`,
    });
    expect(results.get('D4')).toMatchObject({
      result: 'fail',
      citation: `${P.implementation}:${lineOf('verify=False')}`,
    });
    expect(results.get('D9')).toMatchObject({
      result: 'fail',
      citation: `${P.implementation}:${lineOf('http://')}`,
    });
    expect(results.get('D5')).toMatchObject({ result: 'pass' });
  });

  it('does not take re.compile for compile, nor a commented-out eval', () => {
    const code = `${goodFiles().get(P.implementation)}\nimport re\nPATTERN = re.compile("x")\n# eval(x) was here\n`;

    expect(check(withFile(P.implementation, code)).get('D2')).toMatchObject({ result: 'pass' });
  });

  it('fails C10 with pyspark at runtime and C5 without requests', () => {
    const pyproject =
      goodFiles().get(P.pyproject)?.replace('"requests>=2.28.0,<3.0"', '"pyspark>=4.0"') ?? '';

    const results = check(withFile(P.pyproject, pyproject));

    expect(results.get('C10')).toMatchObject({ result: 'fail' });
    expect(results.get('C5')).toMatchObject({ result: 'fail' });
  });

  it('fails C4 when the README leaves out a connection parameter', () => {
    const readme = goodFiles().get(P.readme)?.replace('| subdomain | string | yes |\n', '') ?? '';

    expect(check(withFile(P.readme, readme)).get('C4')).toMatchObject({
      result: 'fail',
      finding: 'The README does not mention `subdomain`.',
    });
  });

  it('fails C8 on a corpus file that is not JSON, and A10 on a third-party import', () => {
    const files = withFile(`${P.simulatorCorpus}deals.json`, '[{"id": 7,');
    files.set(P.implementation, `import httpx\n${files.get(P.implementation)}`);

    const results = check(files);

    expect(results.get('C8')).toMatchObject({ result: 'fail', citation: `${P.simulatorCorpus}deals.json` });
    expect(results.get('A10')).toMatchObject({ result: 'fail', citation: `${P.implementation}:1` });
  });

  it('turns a model that passes everything into NOT READY when the files fail a BLOCKER', () => {
    const model = CHECK_IDS.map(
      (id): CheckResult => ({ id, result: 'pass', finding: 'fine', citation: null }),
    );
    const bot = [...check(withFile(P.init, 'x = 1\n')).values()];

    const review = buildSelfReview({ model, bot, recommendations: [] });
    const trusted = buildSelfReview({ model, bot: [...check(goodFiles()).values()], recommendations: [] });

    expect(review.verdict).toBe('NOT READY');
    expect(review.blockerFailures).toEqual(['A13']);
    expect(trusted).toMatchObject({ score: 100, verdict: 'READY' });
  });
});
