namespace Backcall.Storage;

/// <summary>
/// The outbox's retry version in the meta table, the same SQL in every store. The row is created by the
/// first retry, so no schema version is needed for it; before that the version reads 0.
/// </summary>
internal static class RetryVersion
{
    public const string Bump =
        "INSERT INTO meta (key, value) VALUES ('webhook_retry_version', 1) ON CONFLICT (key) DO UPDATE "
            + "SET value = meta.value + 1";

    public const string Query = "SELECT COALESCE((SELECT value FROM meta WHERE key = 'webhook_retry_version'), 0)";
}
