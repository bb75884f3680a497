import { describe, expect, it } from 'vitest';
import { MAX_TEST_CASES, MAX_TEST_MESSAGE_CHARS, parseJunitXml } from './parse-junit.js';

const PYTEST_XML = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4">
<testcase classname="tests.unit.sources.example_crm.test_example_crm_lakeflow_connect.TestExampleCrm" name="test_list_tables" time="0.01"/>
<testcase classname="tests.unit.sources.example_crm.test_example_crm_lakeflow_connect.TestExampleCrm" name="test_read[contacts]" time="0.02"><failure message="AssertionError: offset never settles &amp; loops">def test_read():
&gt;       assert offset == 3
E       AssertionError: offset never settles</failure></testcase>
<testcase classname="tests.unit.sources.example_crm.test_example_crm_lakeflow_connect.TestExampleCrm" name="test_schema"><error message="fixture 'config' not found"/></testcase>
<testcase classname="tests.unit.sources.example_crm.test_example_crm_lakeflow_connect" name="test_live"><skipped type="pytest.skip" message="no live credentials"/><system-out>ignored</system-out></testcase>
</testsuite></testsuites>`;

function testcase(name: string, body = ''): string {
  return `<testcase classname="test_mod" name="${name}">${body}</testcase>`;
}

describe('parseJunitXml', () => {
  it('turns pytest JUnit XML into the test table', () => {
    const tests = parseJunitXml(PYTEST_XML);

    expect(tests).toEqual([
      {
        name: 'test_example_crm_lakeflow_connect::TestExampleCrm::test_list_tables',
        outcome: 'passed',
        message: null,
      },
      {
        name: 'test_example_crm_lakeflow_connect::TestExampleCrm::test_read[contacts]',
        outcome: 'failed',
        message:
          'AssertionError: offset never settles & loops\ndef test_read():\n>       assert offset == 3\nE       AssertionError: offset never settles',
      },
      {
        name: 'test_example_crm_lakeflow_connect::TestExampleCrm::test_schema',
        outcome: 'error',
        message: "fixture 'config' not found",
      },
      {
        name: 'test_example_crm_lakeflow_connect::test_live',
        outcome: 'skipped',
        message: 'no live credentials',
      },
    ]);
  });

  it.each([
    ['a bare <testsuite> root', `<testsuite name="pytest">${testcase('test_a')}</testsuite>`],
    [
      'nested suites',
      `<testsuites><testsuite name="outer"><testsuite name="inner">${testcase('test_a')}</testsuite></testsuite></testsuites>`,
    ],
  ])('reads %s', (_what, xml) => {
    expect(parseJunitXml(xml)).toEqual([{ name: 'test_mod::test_a', outcome: 'passed', message: null }]);
  });

  it('reads a report with no tests as an empty table', () => {
    expect(parseJunitXml('<testsuites></testsuites>')).toEqual([]);
    expect(parseJunitXml('<testsuite name="pytest" tests="0"/>')).toEqual([]);
  });

  it('keeps long messages bounded, with the start and the end of the traceback', () => {
    const traceback = `${'x'.repeat(5_000)}\nE   AssertionError: the real reason`;
    const xml = `<testsuite>${testcase('test_a', `<failure message="boom">${traceback}</failure>`)}</testsuite>`;

    const [test] = parseJunitXml(xml);

    expect(test?.message?.length).toBeLessThanOrEqual(MAX_TEST_MESSAGE_CHARS);
    expect(test?.message).toMatch(/^boom\nxxx/);
    expect(test?.message).toMatch(/E {3}AssertionError: the real reason$/);
  });

  it('shortens very long names from the front, keeping the test name', () => {
    const name = `test_${'p'.repeat(400)}_end`;

    const [test] = parseJunitXml(`<testsuite>${testcase(name)}</testsuite>`);

    expect(test?.name.length).toBe(300);
    expect(test?.name).toMatch(/^….*_end$/);
  });

  it('keeps every failing test when there are more cases than the table holds', () => {
    const passing = Array.from({ length: MAX_TEST_CASES }, (_, i) => testcase(`test_ok_${i}`)).join('');
    const failing = testcase('test_broken', '<failure message="no"/>');

    const tests = parseJunitXml(`<testsuite>${passing}${failing}</testsuite>`);

    expect(tests).toHaveLength(MAX_TEST_CASES);
    expect(tests.at(-1)).toEqual({ name: 'test_mod::test_broken', outcome: 'failed', message: 'no' });
  });

  it.each([
    ['truncated XML', '<testsuites><testsuite><testcase name="a">', /junit\.xml is not valid XML \(line 1/],
    ['mismatched tags', '<testsuite><testcase name="a"></testsuite>', /junit\.xml is not valid XML/],
    [
      'another XML document',
      '<html><body>502 Bad Gateway</body></html>',
      /expected a <testsuites> or <testsuite> root/,
    ],
    [
      'a test case without a name',
      '<testsuite><testcase classname="a"/></testsuite>',
      /<testcase> number 1 has no name/,
    ],
  ])('refuses %s with a clear message', (_what, xml, message) => {
    expect(() => parseJunitXml(xml)).toThrow(message);
  });
});
