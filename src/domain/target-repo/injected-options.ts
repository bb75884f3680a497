/**
 * Option keys connector code may read without `connector_spec.yaml` declaring them: the framework
 * passes the table being read and its configuration, and Unity Catalog adds the connection's own
 * keys and, for OAuth connections, the tokens it obtained.
 */
export const INJECTED_OPTIONS: readonly string[] = [
  'tableName',
  'tableNameList',
  'tableConfigs',
  'isDeleteFlow',
  'namespace',
  'namespacePrefix',
  'sourceName',
  'externalOptionsAllowList',
  'databricks.connection',
];

/** Keys an OAuth connection injects at query time (the tokens and the endpoint they came from). */
export const OAUTH_INJECTED_OPTIONS: readonly string[] = [
  'access_token',
  'refresh_token',
  'token_endpoint',
  'expires_in',
];

/** Keys of an OAuth connection's app identity and endpoints: declared by the `oauth` block, read or not. */
export const OAUTH_BLOCK_OPTIONS: readonly string[] = [
  'client_id',
  'client_secret',
  'token_url',
  'authorization_url',
  'scopes',
  'scope',
];

/** Framework-internal keys (`_community_…`) the Spark data source passes along. */
export const INTERNAL_OPTION_PREFIX = '_community_';

/** True when a connector may read `key` without the spec declaring it. */
export function isInjectedOption(key: string, oauth: boolean): boolean {
  const lower = key.toLowerCase();
  const matches = (list: readonly string[]) => list.some((k) => k.toLowerCase() === lower);
  return (
    key.startsWith(INTERNAL_OPTION_PREFIX) ||
    matches(INJECTED_OPTIONS) ||
    (oauth && matches([...OAUTH_INJECTED_OPTIONS, ...OAUTH_BLOCK_OPTIONS]))
  );
}
