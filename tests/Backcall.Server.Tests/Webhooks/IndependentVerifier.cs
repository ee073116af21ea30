using System.Security.Cryptography;
using System.Text;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>
/// Signature verification as a receiver would write it from docs/webhooks.md, deliberately not using the
/// server's signer: if the two disagree, a test fails.
/// </summary>
public static class IndependentVerifier
{
    /// <summary>
    /// True when one of the space-separated <c>v1,</c> signatures is the HMAC of <c>id.timestamp.target</c> under
    /// <paramref name="secret"/>.
    /// </summary>
    public static bool Verify(string secret, string id, string timestamp, string requestTarget, string signatureHeader)
    {
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var key = Convert.FromBase64String(secret.Substring("whsec_".Length));
        using var hmac = new HMACSHA256(key);
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + requestTarget));
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var given = Convert.FromBase64String(part.Substring(3));
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }

        return false;
    }

    public static void AssertSigned(ReceivedRequest request, string secret)
    {
        var id = request.Header("webhook-id");
        var timestamp = request.Header("webhook-timestamp");
        Assert.Matches("^msg_[0-9a-f]{32}$", id);
        var age = DateTimeOffset.UtcNow.ToUnixTimeSeconds()
            - long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(age, -300, 300);
        Assert.True(
            Verify(secret, id, timestamp, request.Target, request.Header("webhook-signature")),
            $"signature does not verify for {request.Target}: {request.Header("webhook-signature")}");
    }
}
