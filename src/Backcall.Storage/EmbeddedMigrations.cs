using System.Globalization;
using System.Reflection;

namespace Backcall.Storage;

/// <summary>
/// A store's schema migrations, embedded in its assembly as <c>Migrations/NNN_name.sql</c> and numbered
/// 1, 2, 3… without gaps. Which version a database is at, and how a step is applied atomically, is each
/// store's own (a pragma, a table, a lock); what to run next is decided here, the same for all.
/// </summary>
internal sealed class EmbeddedMigrations
{
    private const string Folder = ".Migrations.";

    /// <summary>Every migration, in version order.</summary>
    private readonly List<Migration> _all;

    private EmbeddedMigrations(List<Migration> all) => _all = all;

    /// <summary>The version the last migration brings a database to; 0 when there are none.</summary>
    public int Latest => _all.Count == 0 ? 0 : _all[^1].Version;

    /// <summary>Reads the scripts embedded in <paramref name="assembly"/> and checks their numbering.</summary>
    /// <exception cref="InvalidOperationException">A number is missing or repeated: a build mistake, refused before any
    /// runs.</exception>
    public static EmbeddedMigrations From(Assembly assembly)
    {
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(Folder, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = resource[(at + Folder.Length)..];
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_')), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(version, file, reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Migrations must be numbered 1, 2, 3…; found {list[i].Name} at position {i + 1}.");
            }
        }

        return new EmbeddedMigrations(list);
    }

    /// <summary>The migrations a database at version <paramref name="current"/> still needs, in order.</summary>
    /// <exception cref="InvalidOperationException">
    /// The database is newer than this build: running on would misread a schema it does not know.
    /// </exception>
    public IReadOnlyList<Migration> After(int current)
    {
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"The database schema is version {current}, newer than this build knows ({Latest}). Upgrade Backcall, "
                    + "or restore a backup made for this version.");
        }

        return [.. _all.Where(m => m.Version > current)];
    }
}
