namespace Backcall.Server.Storage;

/// <summary>Which database to use (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// A PostgreSQL connection string (<c>Host=…;Database=…</c>) for many nodes on one database. Empty: the
    /// embedded SQLite database in the data directory.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>The SQLite file; empty: <c>backcall.db</c> in the data directory.</summary>
    public string? SqlitePath { get; set; }
}
