namespace Backcall.Storage.Postgres;

/// <summary>
/// The event id of every log message of the PostgreSQL store, in one place. It owns 6000–6099 of the
/// product's ids (the server's <c>ServerEventId</c> lists every range); a test fails on a duplicate.
/// </summary>
internal static class PostgresEventId
{
    public const int ChangeFeedListening = 6000;
    public const int ChangeFeedLost = 6001;
}
