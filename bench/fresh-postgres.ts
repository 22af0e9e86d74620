import pg from 'pg';

/** A new, empty database on the PostgreSQL server of `adminUrl`, and how to drop it again. */
export async function freshPostgres(
  adminUrl: string,
  suffix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_${Date.now()}_${suffix}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
