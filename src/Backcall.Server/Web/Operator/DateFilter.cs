using System.Globalization;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// A list filter's date range as typed in the form (<c>yyyy-MM-dd</c>, whole UTC days, both ends included);
/// an unreadable date is ignored, as the other filters ignore what they cannot read.
/// </summary>
public sealed record DateFilter(string? From, string? To)
{
    public DateTimeOffset? Since => Day(From);

    /// <summary>The end, exclusive: the start of the day after <see cref="To"/>.</summary>
    public DateTimeOffset? Until => Day(To)?.AddDays(1);

    private static DateTimeOffset? Day(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
}
