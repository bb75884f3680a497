import { REPO_CONFIG_PATH } from '../../config/repo-config.js';

/** A file `init` copies: where it is in this package, and where it goes in the target checkout. */
export interface InitSource {
  readonly from: string;
  readonly to: string;
}

/** The issue form, the test workflow and the commented default config, in the order they are reported. */
export const INIT_SOURCES: readonly InitSource[] = [
  { from: '.github/ISSUE_TEMPLATE/new-connector.yml', to: '.github/ISSUE_TEMPLATE/new-connector.yml' },
  {
    from: '.github/workflows/lakeflow-connector-tests.yml',
    to: '.github/workflows/lakeflow-connector-tests.yml',
  },
  { from: 'templates/lakeflow-connector-bot.yml', to: REPO_CONFIG_PATH },
];

/** The folder a checkout of the connector repository has; its absence earns a warning, not a refusal. */
export const CONNECTOR_LAYOUT_DIR = 'src/databricks/labs/community_connector';
