using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// Binds each demo authorization to the visitor who started it, by a random session cookie: demo ids are small
/// consecutive numbers, and without this any visitor could watch, or place calls for, everybody else's. Kept in
/// memory: a restart ends the running demos' sessions, which is what a demo can afford.
/// </summary>
public sealed class DemoSessions(TimeProvider time)
{
    public const string CookieName = "backcall_demo";

    /// <summary>Far longer than an authorization lives: older bindings are dropped when the map grows.</summary>
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    private const int PruneAbove = 4096;

    private readonly ConcurrentDictionary<long, (string Session, DateTimeOffset At)> _owners = new();

    /// <summary>The visitor's session, issued now (as an HttpOnly, SameSite=Strict cookie) when it has none.</summary>
    public string Ensure(HttpContext context)
    {
        if (Read(context) is { } existing)
        {
            return existing;
        }

        var session = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        context.Response.Cookies.Append(CookieName, session, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/demo",
            IsEssential = true,
        });
        return session;
    }

    public void Bind(long id, string session)
    {
        var now = time.GetUtcNow();
        _owners[id] = (session, now);
        if (_owners.Count > PruneAbove)
        {
            foreach (var (key, value) in _owners)
            {
                if (now - value.At > KeepFor)
                {
                    _owners.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>Whether the request comes from the visitor who started demo authorization <paramref name="id"/>.
    /// </summary>
    public bool Owns(HttpContext context, long id) =>
        Read(context) is { } session && _owners.TryGetValue(id, out var owner)
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(owner.Session), Encoding.ASCII.GetBytes(session));

    private static string? Read(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CookieName, out var value)
        && value is { Length: 64 } && value.All(char.IsAsciiHexDigit)
            ? value
            : null;
}
