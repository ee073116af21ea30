using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// Versioned schema migrations (see <see cref="EmbeddedMigrations"/>), each applied in its own transaction
/// with the version kept in <c>PRAGMA user_version</c>.
/// </summary>
internal static class SqliteMigrator
{
    private static readonly EmbeddedMigrations Migrations = EmbeddedMigrations.From(typeof(SqliteMigrator).Assembly);

    public static int Migrate(SqliteConnection connection)
    {
        var current = Convert.ToInt32(
            Execute(connection, "PRAGMA user_version", scalar: true),
            System.Globalization.CultureInfo.InvariantCulture);
        foreach (var migration in Migrations.After(current))
        {
            using var tx = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = migration.Sql + $";\nPRAGMA user_version = {migration.Version};";
                command.ExecuteNonQuery();
            }

            tx.Commit();
            current = migration.Version;
        }

        return current;
    }

    private static object? Execute(SqliteConnection connection, string sql, bool scalar)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return scalar ? command.ExecuteScalar() : command.ExecuteNonQuery();
    }
}
