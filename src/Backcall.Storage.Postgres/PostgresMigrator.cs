using Dapper;
using Npgsql;

namespace Backcall.Storage.Postgres;

/// <summary>
/// Versioned schema migrations (see <see cref="EmbeddedMigrations"/>), each applied in its own transaction
/// together with its row in <c>backcall_schema</c>.
/// </summary>
/// <remarks>
/// Several nodes may start at once against a fresh database; a session advisory lock makes one of them
/// migrate while the others wait and then find nothing left to do.
/// </remarks>
internal static class PostgresMigrator
{
    /// <summary>The advisory lock key: arbitrary, fixed, and unlikely to clash with an application's own.</summary>
    private const long LockKey = 0x6261_636B_6361_6C6C; // "backcall"

    private static readonly EmbeddedMigrations Migrations = EmbeddedMigrations.From(typeof(PostgresMigrator).Assembly);

    public static async Task<int> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await connection
            .ExecuteAsync(
                new CommandDefinition(
                    "SELECT pg_advisory_lock(@LockKey)",
                    new { LockKey },
                    cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        try
        {
            await connection
                .ExecuteAsync(
                    new CommandDefinition(
                        "CREATE TABLE IF NOT EXISTS backcall_schema (version integer PRIMARY KEY, name text NOT NULL, "
                            + "applied_at timestamptz NOT NULL DEFAULT now())",
                        cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            var current = await connection
                .ExecuteScalarAsync<int>(
                    new CommandDefinition(
                        "SELECT COALESCE(MAX(version), 0) FROM backcall_schema",
                        cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            foreach (var migration in Migrations.After(current))
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await connection
                    .ExecuteAsync(
                        new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: cancellationToken))
                    .ConfigureAwait(false);
                await connection
                    .ExecuteAsync(
                        new CommandDefinition(
                            "INSERT INTO backcall_schema (version, name) VALUES (@Version, @Name)",
                            new { migration.Version, migration.Name },
                            tx,
                            cancellationToken: cancellationToken))
                    .ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                current = migration.Version;
            }

            return current;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@LockKey)", new { LockKey }).ConfigureAwait(false);
        }
    }
}
