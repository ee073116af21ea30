namespace Backcall.Storage.Sqlite;

/// <summary>
/// How a kept statement's row becomes a <typeparamref name="T"/>: the columns the mapping reads, in the order
/// it reads them by ordinal. A statement is checked against them once, at its first row (<see
/// cref="PreparedCommand"/>), so a select list and its mapping cannot drift apart unnoticed.
/// </summary>
internal sealed class RowReader<T>(string columns, Func<StatementRow, T> read)
{
    public string[] Columns { get; } =
        columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public T Read(StatementRow row) => read(row);
}
