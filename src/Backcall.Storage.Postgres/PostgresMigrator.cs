using System.Globalization;
using Dapper;
using Npgsql;

namespace Backcall.Storage.Postgres;

/// <summary>
/// Versioned schema migrations: embedded <c>Migrations/NNN_name.sql</c> files applied in order, each in its
/// own transaction together with its row in <c>backcall_schema</c>.
/// </summary>
/// <remarks>
/// Several nodes may start at once against a fresh database; a session advisory lock makes one of them
/// migrate while the others wait and then find nothing left to do.
/// </remarks>
internal static class PostgresMigrator
{
    /// <summary>The advisory lock key: arbitrary, fixed, and unlikely to clash with an application's own.</summary>
    private const long LockKey = 0x6261_636B_6361_6C6C; // "backcall"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    public static async Task<int> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockKey)", new { LockKey }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS backcall_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var current = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COALESCE(MAX(version), 0) FROM backcall_schema", cancellationToken: cancellationToken)).ConfigureAwait(false);
            var latest = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
            if (current > latest)
            {
                throw new InvalidOperationException(
                    $"The database schema is version {current}, newer than this build knows ({latest}). Upgrade Backcall, or restore a backup made for this version.");
            }

            foreach (var (version, name, sql) in Migrations)
            {
                if (version <= current)
                {
                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO backcall_schema (version, name) VALUES (@version, @name)", new { version, name }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                current = version;
            }

            return current;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@LockKey)", new { LockKey }).ConfigureAwait(false);
        }
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            const string marker = ".Migrations.";
            var at = resource.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = resource[(at + marker.Length)..];
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_')), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((version, file, reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Item1 != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3…; found {list[i].Item2} at position {i + 1}.");
            }
        }

        return list;
    }
}
