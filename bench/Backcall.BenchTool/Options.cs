using System.Globalization;

namespace Backcall.BenchTool;

/// <summary><c>--name value</c> pairs; a missing required option is an error naming it.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException("expected --option, got " + args[i]);
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new Options(values);
    }

    public string Get(string name) =>
        values.TryGetValue(name, out var v) ? v : throw new ArgumentException("--" + name + " is required");

    public string? Find(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int? fallback = null) =>
        values.TryGetValue(name, out var v)
            ? int.Parse(v, CultureInfo.InvariantCulture)
            : fallback ?? throw new ArgumentException("--" + name + " is required");

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
