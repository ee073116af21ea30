namespace Backcall.Storage;

/// <summary>
/// How the core's values are kept in columns, the same in every store: times as Unix milliseconds (UTC),
/// money as whole hundredths, so both survive any database's number types exactly.
/// </summary>
internal static class ColumnValues
{
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? Time(long? ms) =>
        ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();

    public static long Cents(decimal amount) => (long)decimal.Round(amount * 100m, MidpointRounding.AwayFromZero);

    public static long? Cents(decimal? amount) => amount is null ? null : Cents(amount.Value);

    public static decimal Money(long cents) => cents / 100m;
}
