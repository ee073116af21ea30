using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Backcall.Core;

/// <summary>
/// Collects the problems of one options section, each naming its configuration key and what the key may
/// hold in words, e.g. <c>Webhooks:Timeout must be from 100 ms to 5 min; it is 50 ms.</c> Every options
/// class of the core and the server has an <see cref="IValidateOptions{TOptions}"/> built on this, checked
/// at start (<c>ValidateOnStart</c>); the SIP library keeps its own rules in <c>SipOptions.Validate</c>.
/// </summary>
public sealed class OptionErrors(string section)
{
    private readonly List<string> _errors = [];

    /// <summary>Adds a problem of <c>Section:key</c>; <paramref name="problem"/> follows the key.</summary>
    public void Add(string key, string problem) => _errors.Add($"{section}:{key} {problem}");

    /// <summary>
    /// Checks <paramref name="value"/> against an inclusive range; the key is the property the caller passed
    /// (<c>options.Timeout</c> → <c>Timeout</c>), so the message cannot name another one.
    /// </summary>
    public void Between<T>(T value, T min, T max, [CallerArgumentExpression(nameof(value))] string key = "")
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            var property = key[(key.LastIndexOf('.') + 1)..];
            Add(property, $"must be from {Describe(min)} to {Describe(max)}; it is {Describe(value)}.");
        }
    }

    public void NotEmpty(string key, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(key, $"is empty; it must be {what}.");
        }
    }

    public ValidateOptionsResult Result() =>
        _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);

    /// <summary>A value as an operator reads it: durations in their largest whole unit (100 ms, 15 s, 1 h).</summary>
    public static string Describe(object? value) => value switch
    {
        TimeSpan t when t == TimeSpan.Zero => "0",
        TimeSpan t when t.Ticks % TimeSpan.TicksPerDay == 0 => Unit(t.TotalDays, "day"),
        TimeSpan t when t.Ticks % TimeSpan.TicksPerHour == 0 => $"{t.TotalHours} h",
        TimeSpan t when t.Ticks % TimeSpan.TicksPerMinute == 0 => $"{t.TotalMinutes} min",
        TimeSpan t when t.Ticks % TimeSpan.TicksPerSecond == 0 => $"{t.TotalSeconds} s",
        TimeSpan t when t.Ticks % TimeSpan.TicksPerMillisecond == 0 && t < TimeSpan.FromMinutes(1) =>
            $"{t.TotalMilliseconds} ms",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "empty",
    };

    private static string Unit(double count, string unit) =>
        count == 1 ? $"1 {unit}" : $"{count.ToString(CultureInfo.InvariantCulture)} {unit}s";
}
