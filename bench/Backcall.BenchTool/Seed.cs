using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Backcall.BenchTool;

/// <summary>
/// Writes authorizations straight into a stopped server's SQLite database, far faster than the API:
/// <c>--finished N</c> rows that ended long ago (the history a big install accumulates; not loaded into
/// memory at start) and <c>--pending N</c> live ones with their leases (loaded at start, ready to be
/// confirmed by a call). The pending pairs go to <c>--csv</c> as sipp injection lines "caller;called;id".
/// </summary>
/// <remarks>
/// Mirrors the rows the server's SqliteStore writes (see src/Backcall.Storage.Sqlite/Migrations); a schema
/// change that breaks this shows as a failed bench/run --quick in the test suite.
/// </remarks>
internal static class Seed
{
    public static int Run(Options options)
    {
        var numbers = options.Get("numbers")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tokenId = options.Int("token-id");
        var finished = options.Int("finished", 0);
        var pending = options.Int("pending", 0);
        var callerBase = long.Parse(options.Find("caller-base") ?? "79010000000", CultureInfo.InvariantCulture);
        var webhook = options.Find("webhook");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var expires = now + (long)(options.Double("lifetime-seconds", 3000) * 1000);

        using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = options.Get("db"), Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        using var transaction = connection.BeginTransaction();
        var next = Scalar(
            connection,
            transaction,
            "SELECT COALESCE(MAX(seq), 100000) FROM sqlite_sequence WHERE name = 'authorizations'") + 1;

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT INTO authorizations"
            + " (id, token_id, user_phone, auth_number, qr_key, created_at, expires_at, status, webhook)"
            + " VALUES ($id, $token, $phone, $number, $qr, $created, $expires, $status, $webhook)";
        var p = Parameters(
            insert, "$id", "$token", "$phone", "$number", "$qr", "$created", "$expires", "$status", "$webhook");

        using var lease = connection.CreateCommand();
        lease.Transaction = transaction;
        lease.CommandText = "INSERT OR REPLACE INTO leases (number, user_phone, authorization_id, expires_at)"
            + " VALUES ($number, $phone, $id, $expires)";
        var l = Parameters(lease, "$number", "$phone", "$id", "$expires");

        // History first: old rows, expired unconfirmed (status 2) a day ago, spread over the numbers.
        var finishedFirst = next;
        var dayAgo = now - 86_400_000;
        for (var i = 0; i < finished; i++, next++)
        {
            var caller = "+" + (callerBase + 5_000_000 + (i % 1_000_000)).ToString(CultureInfo.InvariantCulture);
            Row(p, next, tokenId, caller, numbers[i % numbers.Length], dayAgo - 120_000, dayAgo, 2, null);
            insert.ExecuteNonQuery();
        }

        var pendingFirst = next;
        using var csv = options.Find("csv") is { } path ? new StreamWriter(path) : null;
        csv?.WriteLine("SEQUENTIAL");
        for (var i = 0; i < pending; i++, next++)
        {
            var caller = "+" + (callerBase + i).ToString(CultureInfo.InvariantCulture);
            var number = numbers[i % numbers.Length];
            Row(p, next, tokenId, caller, number, now, expires, 0, webhook);
            insert.ExecuteNonQuery();
            l["$number"].Value = number;
            l["$phone"].Value = caller;
            l["$id"].Value = next;
            l["$expires"].Value = expires;
            lease.ExecuteNonQuery();
            csv?.WriteLine($"{caller};{number};{next}");
        }

        transaction.Commit();
        Console.WriteLine($"finished_first_id={finishedFirst}");
        Console.WriteLine($"finished_last_id={pendingFirst - 1}");
        Console.WriteLine($"pending_first_id={pendingFirst}");
        Console.WriteLine($"pending_last_id={next - 1}");
        return 0;
    }

    private static void Row(
        Dictionary<string, SqliteParameter> p,
        long id,
        long token,
        string phone,
        string number,
        long created,
        long expires,
        int status,
        string? webhook)
    {
        p["$id"].Value = id;
        p["$token"].Value = token;
        p["$phone"].Value = phone;
        p["$number"].Value = number;
        p["$qr"].Value = QrKey(id);
        p["$created"].Value = created;
        p["$expires"].Value = expires;
        p["$status"].Value = status;
        p["$webhook"].Value = (object?)webhook ?? DBNull.Value;
    }

    /// <summary>
    /// A QR key in the form the server makes (16 bytes as 22 URL-safe base64 characters), unique per id. A key in any
    /// other form is kept by the server's index as a string in a map of its own: 422,500 of them were a 16 MB table on
    /// the large object heap and as many strings that no real install has.
    /// </summary>
    private static string QrKey(long id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, 0xbe_9c_ba_11_00_00_00_00);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], id);
        return Base64Url.EncodeToString(bytes);
    }

    // Untyped parameters: the type follows each value, as the columns expect (integers stay integers).
    private static Dictionary<string, SqliteParameter> Parameters(SqliteCommand command, params string[] names)
    {
        var parameters = new Dictionary<string, SqliteParameter>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            parameters[name] = parameter;
        }

        return parameters;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
