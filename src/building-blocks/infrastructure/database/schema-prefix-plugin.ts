import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  SchemableIdentifierNode,
  type UnknownRow,
} from 'kysely';

/**
 * SQLite has no schemas. Code names tables as PostgreSQL sees them (`accounts.users`);
 * on SQLite this plugin turns `schema.table` into `schema_table`, so each context still
 * owns a visibly separate set of tables and no query is written twice.
 */
export class SchemaPrefixPlugin implements KyselyPlugin {
  readonly #transformer = new SchemaPrefixTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

class SchemaPrefixTransformer extends OperationNodeTransformer {
  protected override transformSchemableIdentifier(
    node: SchemableIdentifierNode,
  ): SchemableIdentifierNode {
    if (!node.schema) return node;
    return SchemableIdentifierNode.create(`${node.schema.name}_${node.identifier.name}`);
  }
}
