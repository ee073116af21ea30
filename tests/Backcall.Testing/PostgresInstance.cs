using Npgsql;

namespace Backcall.Testing;

/// <summary>
/// A throwaway PostgreSQL server: <c>initdb</c> into a temp directory, <c>pg_ctl start</c> on a free
/// loopback port with its unix socket in the same directory, a database per caller, and everything stopped
/// and deleted on dispose. Runs as the <c>postgres</c> system user when the tests run as root (initdb refuses
/// root). Needs the PostgreSQL server binaries (scripts/install-test-deps.sh installs them).
/// </summary>
public sealed class PostgresInstance : IAsyncDisposable
{
    private const string SystemUser = "postgres";
    private int _databases;

    private PostgresInstance(string root, string bin, int port)
    {
        Root = root;
        Bin = bin;
        Port = port;
    }

    /// <summary>The temp directory: data/, the socket and the server log.</summary>
    public string Root { get; }

    public int Port { get; }

    private string Bin { get; }

    private string DataDirectory => Path.Combine(Root, "data");

    private string LogFile => Path.Combine(Root, "server.log");

    /// <summary>The server binaries of the newest installed major version.</summary>
    public static string? FindBinaries()
    {
        const string installed = "/usr/lib/postgresql";
        if (!Directory.Exists(installed))
        {
            return null;
        }

        return Directory.GetDirectories(installed)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "pg_ctl")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    public static async Task<PostgresInstance> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; run scripts/install-test-deps.sh");
        var root = Path.Combine(Path.GetTempPath(), "backcall-pg-" + Guid.NewGuid().ToString("N")[..16]);
        Directory.CreateDirectory(root);
        if (ExternalProcess.IsRoot)
        {
            await ExternalProcess.RunAsync("chown", [SystemUser + ":", root]);
        }

        var instance = new PostgresInstance(root, bin, 0);
        try
        {
            await ExternalProcess.RunAsync(
                Path.Combine(bin, "initdb"),
                ["-D", instance.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                    "--no-sync"],
                SystemUser);
        }
        catch
        {
            TryDelete(root);
            throw;
        }

        // A port picked now may be taken before the server binds it; try a few.
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var started = new PostgresInstance(root, bin, ExternalProcess.FreeTcpPort());
            try
            {
                await started.StartServerAsync();
                return started;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
            }
        }

        TryDelete(root);
        throw new InvalidOperationException("PostgreSQL did not start", last);
    }

    /// <summary>The connection string of a database on this server (over TCP on 127.0.0.1).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Timeout = 10,
        }.ConnectionString;

    /// <summary>Creates a new empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}"
            .ToLowerInvariant();
        await using (var c = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            await c.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>Runs SQL as the superuser on a database (e.g. to terminate backends in a test).</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExternalProcess.RunAsync(
                Path.Combine(Bin, "pg_ctl"),
                ["stop", "-D", DataDirectory, "-m", "immediate", "-w"],
                SystemUser,
                TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already stopped, or stuck: the directory goes either way.
        }

        TryDelete(Root);
    }

    private async Task StartServerAsync()
    {
        // fsync off: a test server's data is thrown away, and durability is not what these tests measure.
        var options = string.Join(' ', [
            $"-p {Port}", $"-k {Root}", "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off",
            "-c full_page_writes=off", "-c max_connections=300", "-c shared_buffers=32MB"]);
        await ExternalProcess.RunAsync(
            Path.Combine(Bin, "pg_ctl"),
            ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options],
            SystemUser,
            TimeSpan.FromSeconds(90));
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Temp is cleaned by the OS eventually.
        }
    }
}
