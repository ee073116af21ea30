using Backcall.Core.Storage;
using Backcall.Storage.Sqlite;
using Backcall.Storage.Tests.Contract;

namespace Backcall.Storage.Tests.Sqlite;

/// <summary>
/// The storage contract on a SQLite file in a temp directory; "another node" is a second store on the same file.
/// </summary>
public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), "backcall-storage-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "backcall.db");

    protected override Task<IBackcallStore> CreateStoreAsync() =>
        Task.FromResult<IBackcallStore>(new SqliteStore(DatabasePath));

    protected override IBackcallStore OpenAnotherNode() => new SqliteStore(DatabasePath);

    /// <summary>
    /// Whatever a test did, no kept statement was compiled again at each new value: SQLite does that silently
    /// when a plan depended on a bound value. Once is allowed: a connection opened before the migrations ran
    /// compiles its first statement again for the new schema.
    /// </summary>
    protected override void CheckBeforeClosing(IBackcallStore store) =>
        Assert.DoesNotContain(((SqliteStore)store).KeptStatementsCompiledAgain(), s => s.Times > 1);

    protected override Task MarkSchemaVersionAsync(int version)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + DatabasePath);
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = $"PRAGMA user_version = {version}";
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled connection may hold the file a moment longer; temp is cleaned eventually.
        }
    }
}
