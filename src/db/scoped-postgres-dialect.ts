/**
 * PostgreSQL dialect whose introspection sees only the schemas on the connection's search path.
 *
 * Why: Kysely's PostgresIntrospector (which its Migrator uses to ask "does kysely_migration
 * exist?") reads every schema of the database and calls `has_schema_privilege(name, …)` and
 * `pg_get_serial_sequence(…)` on each. When another process drops one of its schemas meanwhile
 * (tests do, one schema each; so would tenants sharing a database), those functions raise
 * "schema … does not exist" for a schema that is none of ours. Restricting the catalog scan to
 * `current_schemas(false)` and leaving out the name-based functions removes that race.
 */
import { PostgresDialect, PostgresIntrospector, sql } from 'kysely';
import type { DatabaseIntrospector, DatabaseMetadataOptions, Kysely, TableMetadata } from 'kysely';

interface ColumnRow {
  schema: string;
  table: string;
  kind: string;
  column: string;
  type: string;
  type_schema: string;
  not_null: boolean;
  has_default: boolean;
  is_identity: boolean;
  default_expr: string | null;
}

// A subclass, so that code asking "is this PostgreSQL?" (dialectOf) still gets yes.
class ScopedPostgresIntrospector extends PostgresIntrospector {
  constructor(private readonly scopedDb: Kysely<unknown>) {
    super(scopedDb);
  }

  override async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select ns.nspname as schema, c.relname as table, c.relkind as kind, a.attname as column,
             t.typname as type, tns.nspname as type_schema, a.attnotnull as not_null,
             a.atthasdef as has_default, a.attidentity <> '' as is_identity,
             pg_get_expr(d.adbin, d.adrelid) as default_expr
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid
        join pg_catalog.pg_type t on t.oid = a.atttypid
        join pg_catalog.pg_namespace tns on tns.oid = t.typnamespace
        left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
       where ns.nspname = any (current_schemas(false))
         and c.relkind in ('r', 'v', 'p')
         and a.attnum > 0 and not a.attisdropped
       order by ns.nspname, c.relname, a.attnum`.execute(this.scopedDb);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'] }>();
    for (const r of rows) {
      if (!options.withInternalKyselyTables && (r.table === 'kysely_migration' || r.table === 'kysely_migration_lock')) continue;
      const key = `${r.schema}.${r.table}`;
      let table = tables.get(key);
      if (!table) {
        table = { name: r.table, schema: r.schema, isView: r.kind === 'v', columns: [] };
        tables.set(key, table);
      }
      table.columns.push({
        name: r.column,
        dataType: r.type,
        dataTypeSchema: r.type_schema,
        isNullable: !r.not_null,
        isAutoIncrementing: r.is_identity || (r.default_expr ?? '').startsWith('nextval('),
        hasDefaultValue: r.has_default || r.is_identity,
      });
    }
    return [...tables.values()];
  }

  override async getMetadata(options?: DatabaseMetadataOptions): Promise<{ tables: TableMetadata[] }> {
    return { tables: await this.getTables(options) };
  }
}

/** PostgresDialect with search-path-scoped introspection. */
export class ScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new ScopedPostgresIntrospector(db);
  }
}
