using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;

namespace Backcall.Server.SignIn;

/// <summary>
/// The sign-in page's state, kept by the browser and signed with the deployment's secret (so any node reads it):
/// the page's ticket names the client and the exact authorization request it was shown for; the attempt cookie
/// (HttpOnly, SameSite=Strict) binds one authorization to that browser and that request. Nobody else can watch
/// it, and a confirmed call finishes only the request it was started from.
/// </summary>
public sealed class SignInTickets(SignInKeyRing ring, TimeProvider time)
{
    public const string AttemptCookie = "backcall_signin";

    /// <summary>What the page was shown for.</summary>
    public sealed record Page(string ClientId, string RequestHash, DateTimeOffset ExpiresAt);

    /// <summary>An authorization started from a page, in one browser.</summary>
    public sealed record Attempt(long AuthorizationId, string ClientId, string RequestHash, DateTimeOffset ExpiresAt);

    /// <summary>A digest of the parameters that decide where the code goes and what it carries.</summary>
    public static string RequestHash(OpenIddictRequest request)
    {
        string?[] parts =
        [
            request.ClientId, request.RedirectUri, request.ResponseType, request.ResponseMode, request.Scope,
            request.State, request.Nonce, request.CodeChallenge, request.CodeChallengeMethod,
        ];
        return Base64UrlTextEncoder.Encode(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(parts)));
    }

    public string Issue(Page page) => Sign("p", JsonSerializer.SerializeToUtf8Bytes(page));

    public Page? ReadPage(string? ticket) =>
        Verify("p", ticket) is { } json
        && JsonSerializer.Deserialize<Page>(json) is { } p
        && p.ExpiresAt > time.GetUtcNow()
            ? p
            : null;

    public void SetAttempt(HttpContext context, Attempt attempt) =>
        context.Response.Cookies.Append(
            AttemptCookie,
            Sign("a", JsonSerializer.SerializeToUtf8Bytes(attempt)),
            new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                IsEssential = true,
                MaxAge = attempt.ExpiresAt - time.GetUtcNow(),
            });

    public Attempt? ReadAttempt(HttpContext context) =>
        context.Request.Cookies.TryGetValue(AttemptCookie, out var value) && Verify("a", value) is { } json
        && JsonSerializer.Deserialize<Attempt>(json) is { } a && a.ExpiresAt > time.GetUtcNow()
            ? a
            : null;

    public static void ClearAttempt(HttpContext context) =>
        context.Response.Cookies.Delete(
            AttemptCookie, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });

    private string Sign(string kind, byte[] json)
    {
        var body = Base64UrlTextEncoder.Encode(json);
        return body + "." + Base64UrlTextEncoder.Encode(Mac(kind, body));
    }

    private byte[]? Verify(string kind, string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 4096 || value.Split('.') is not [var body, var mac])
        {
            return null;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Base64UrlTextEncoder.Decode(mac), Mac(kind, body))
                ? Base64UrlTextEncoder.Decode(body)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private byte[] Mac(string kind, string body)
    {
        var key = HMACSHA256.HashData(ring.Current.Secret, "backcall sign-in tickets v1"u8);
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(kind + "." + body));
    }
}
