using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>The rows the kept statements of a call read, mapped by ordinal (<see cref="RowReader{T}"/>).</summary>
internal static class SqliteRows
{
    public static readonly RowReader<AuthorizationRow> Authorization = new(AuthorizationColumns, r => new()
    {
        Id = r.Int64(0),
        TokenId = r.Int64(1),
        UserPhone = r.Text(2),
        AuthNumber = r.Text(3),
        QrKey = r.Text(4),
        CreatedAt = r.Int64(5),
        ExpiresAt = r.Int64(6),
        Status = (int)r.Int64(7),
        ConfirmedAt = r.NullableInt64(8),
        ConfirmedPhone = r.NullableText(9),
        Webhook = r.NullableText(10),
        NotifyExpired = r.Int64(11) != 0,
        OtherCaller = r.NullableText(12),
    });

    /// <summary>What a repeated call's answer needs of the call first recorded with its Call-ID.</summary>
    public static readonly RowReader<RecordedCallRow> RecordedCall =
        new("outcome, authorization_id", r => new(r.Text(0), r.NullableInt64(1)));

    public sealed record RecordedCallRow(string Outcome, long? AuthorizationId);
}
