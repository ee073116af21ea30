using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// Versioned schema migrations: embedded <c>Migrations/NNN_name.sql</c> files applied in order, each in its
/// own transaction, with the version kept in <c>PRAGMA user_version</c>.
/// </summary>
internal static class SqliteMigrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    public static int Migrate(SqliteConnection connection)
    {
        var current = Convert.ToInt32(Execute(connection, "PRAGMA user_version", scalar: true), System.Globalization.CultureInfo.InvariantCulture);
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

            using var tx = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = sql + $";\nPRAGMA user_version = {version};";
                command.ExecuteNonQuery();
            }

            tx.Commit();
            current = version;
            _ = name;
        }

        return current;
    }

    private static object? Execute(SqliteConnection connection, string sql, bool scalar)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return scalar ? command.ExecuteScalar() : command.ExecuteNonQuery();
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
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
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture);
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
