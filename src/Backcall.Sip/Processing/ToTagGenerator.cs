using System.Security.Cryptography;
using System.Text;
using Backcall.Sip.Message;

namespace Backcall.Sip.Processing;

/// <summary>
/// Deterministic To tags: HMAC-SHA256 of Call-ID, From tag and branch under a per-process random key.
/// A retransmitted request therefore gets a byte-identical response even when it is answered statelessly,
/// and tags stay unguessable across restarts (RFC 3261 §19.3 asks for 32 bits of randomness).
/// </summary>
internal sealed class ToTagGenerator
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string For(SipRequest request)
    {
        var via = request.TopVia;
        var branch = via is { HasRfc3261Branch: true } ? via.Branch : $"{request.CSeq?.Number}|{via?.Serialize()}";
        var input = Encoding.UTF8.GetBytes($"{request.CallId}\n{request.From?.Tag}\n{branch}");
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, mac);
        return Convert.ToHexStringLower(mac[..8]);
    }
}
