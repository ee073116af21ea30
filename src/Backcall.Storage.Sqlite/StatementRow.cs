using SQLitePCL;

namespace Backcall.Storage.Sqlite;

/// <summary>The row a kept statement (<see cref="PreparedCommand"/>) stands on, read by column ordinal.</summary>
internal readonly struct StatementRow(sqlite3_stmt statement)
{
    public bool IsNull(int column) => raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;

    public long Int64(int column) => raw.sqlite3_column_int64(statement, column);

    public long? NullableInt64(int column) => IsNull(column) ? null : Int64(column);

    public string Text(int column) => raw.sqlite3_column_text(statement, column).utf8_to_string() ?? "";

    public string? NullableText(int column) => IsNull(column) ? null : Text(column);
}
