using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Backcall.Core.Tokens;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Signatures modelled on the Standard Webhooks spec (standardwebhooks.com): HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{content}</c>, sent as <c>v1,{base64}</c>. A webhook here is a GET
/// without a body, so the content is the request's path and query: exactly what the receiver sees on the
/// request line, and what carries the phone and id.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    /// <summary>The signed content, as a receiver rebuilds it.</summary>
    public static string Content(string id, long timestamp, string pathAndQuery) =>
        string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{pathAndQuery}");

    /// <summary>One <c>v1,…</c> signature per secret, space-separated (two during a secret rotation).</summary>
    public static string Sign(IEnumerable<string> secrets, string id, long timestamp, string pathAndQuery)
    {
        var content = Encoding.UTF8.GetBytes(Content(id, timestamp, pathAndQuery));
        return string.Join(
            ' ',
            secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(s), content))));
    }

    /// <summary>
    /// The secrets that sign now: the token's current one and, during a rotation's grace period, the previous one.
    /// </summary>
    public static IReadOnlyList<string> SecretsOf(Token token, DateTimeOffset now) =>
        token.PreviousWebhookSecret is { } previous && token.PreviousSecretExpiresAt is { } until && now < until
            ? [token.WebhookSecret, previous]
            : [token.WebhookSecret];

    /// <summary>The HMAC key: the base64 after <c>whsec_</c>.</summary>
    public static byte[] Key(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
            ? secret[SecretPrefix.Length..]
            : secret;
        return Convert.FromBase64String(encoded);
    }
}
