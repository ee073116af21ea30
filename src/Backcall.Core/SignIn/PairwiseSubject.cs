using System.Security.Cryptography;
using System.Text;
using Backcall.Core.Phones;

namespace Backcall.Core.SignIn;

/// <summary>
/// The <c>sub</c> of a signed-in phone (OpenID Connect Core §8.1, pairwise): an HMAC of the phone keyed by the
/// deployment's secret, over the client id. Stable for one phone and one client; two clients get unrelated
/// values for the same phone, and without the secret nobody can test a guessed phone against a subject.
/// </summary>
public static class PairwiseSubject
{
    public static string Of(ReadOnlySpan<byte> secret, string clientId, E164Phone phone)
    {
        var input = Encoding.UTF8.GetBytes(clientId + "\n" + phone.Value);
        var mac = HMACSHA256.HashData(secret, input);
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
