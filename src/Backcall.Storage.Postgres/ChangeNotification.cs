using System.Globalization;
using Backcall.Core.Storage;

namespace Backcall.Storage.Postgres;

/// <summary>
/// The NOTIFY payload on <see cref="Channel"/>: <c>&lt;instance&gt; a &lt;id&gt;[,&lt;id&gt;…]</c> for
/// authorizations, <c>&lt;instance&gt; c</c> for the catalog. The instance lets a store skip what it sent
/// itself: its own node already applied those changes to memory.
/// </summary>
internal static class ChangeNotification
{
    public const string Channel = "backcall_changes";

    public static string Authorizations(string instance, IReadOnlyCollection<long> ids) =>
        instance + " a " + string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    public static string Catalog(string instance) => instance + " c";

    /// <summary>Parses a payload; a malformed one yields nothing.</summary>
    public static IEnumerable<StoreChange> Parse(string payload)
    {
        var parts = payload.Split(' ', 3);
        if (parts.Length < 2)
        {
            yield break;
        }

        if (parts[1] == "c")
        {
            yield return new StoreChange(StoreChangeKind.Catalog);
        }
        else if (parts[1] == "a" && parts.Length == 3)
        {
            foreach (var id in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    yield return new StoreChange(StoreChangeKind.Authorization, value);
                }
            }
        }
    }
}
