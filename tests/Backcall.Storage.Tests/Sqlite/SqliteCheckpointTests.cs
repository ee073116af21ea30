using Backcall.Core.Phones;
using Backcall.Storage.Sqlite;
using Backcall.Testing;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Tests.Sqlite;

public sealed class SqliteCheckpointTests
{
    [Fact]
    public async Task The_wal_is_checkpointed_in_the_background_not_by_the_writer()
    {
        var directory = Path.Combine(Path.GetTempPath(), "backcall-ckpt-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "backcall.db");
        try
        {
            await using (var store = new SqliteStore(path))
            {
                await store.MigrateAsync();
                for (var i = 0; i < 300; i++)
                {
                    await store.AddNumberAsync(new E164Phone($"+7964{i:D7}"), DateTimeOffset.UnixEpoch);
                }

                // Within a few ticks of the checkpointer, the rows are in the database file itself: read
                // it as immutable, which ignores the WAL. Nothing in this test checkpoints.
                var inFile = 0L;
                await Wait.UntilAsync(() => (inFile = NumbersInMainFile(path)) >= 300);
                Assert.Equal(300, inFile);
            }

            // And the writer's own connection does not checkpoint on commit.
            using var c = new SqliteConnection($"Data Source={path}");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", cmd.ExecuteScalar());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long NumbersInMainFile(string path)
    {
        using var c = new SqliteConnection($"Data Source=file:{path}?immutable=1;Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM numbers";
        try
        {
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // not even the schema is in the file yet
        }
    }
}
