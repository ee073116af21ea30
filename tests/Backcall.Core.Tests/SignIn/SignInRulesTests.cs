using Backcall.Core.Phones;
using Backcall.Core.SignIn;

namespace Backcall.Core.Tests.SignIn;

public sealed class SignInRulesTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Theory]
    [InlineData("https://shop.example/signin-oidc")]
    [InlineData("https://shop.example:8443/cb?tenant=1")]
    [InlineData("http://127.0.0.1:5000/cb")]
    [InlineData("http://[::1]/cb")]
    [InlineData("http://localhost:3000/api/auth/callback/backcall")]
    [InlineData("com.example.app:/callback")]
    public void Acceptable_redirect_uris(string uri) => Assert.Equal([uri], RedirectUris.Validate([uri]));

    [Theory]
    [InlineData("http://shop.example/cb", "use https")]
    [InlineData("http://127.0.0.1.evil.example/cb", "use https")]
    [InlineData("https://shop.example/cb#frag", "fragment")]
    [InlineData("https://user@shop.example/cb", "user info")]
    [InlineData("https://*.shop.example/cb", "wildcard")]
    [InlineData("javascript:alert(1)", "scheme")]
    [InlineData("data:text/html,hi", "scheme")]
    [InlineData("shop.example/cb", "not an absolute URI")]
    [InlineData("", "not an absolute URI")]
    public void Refused_redirect_uris_say_why(string uri, string why)
    {
        var error = Assert.Throws<ArgumentException>(() => RedirectUris.Validate([uri]));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_redirect_uri_at_all_is_refused() =>
        Assert.Throws<ArgumentException>(() => RedirectUris.Validate([]));

    [Fact]
    public void A_subject_is_stable_per_phone_and_client_and_unrelated_across_clients()
    {
        var phone = new E164Phone("+79001234567");
        var shop = PairwiseSubject.Of(Secret, "bc-shop", phone);
        Assert.Equal(shop, PairwiseSubject.Of(Secret, "bc-shop", phone));
        Assert.NotEqual(shop, PairwiseSubject.Of(Secret, "bc-forum", phone));
        Assert.NotEqual(shop, PairwiseSubject.Of(Secret, "bc-shop", new E164Phone("+79001234568")));
        Assert.NotEqual(shop, PairwiseSubject.Of([.. Secret.Reverse()], "bc-shop", phone));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", shop);
        Assert.DoesNotContain("4567", shop, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_id_and_phone_cannot_be_shifted_into_each_other()
    {
        // "bc-a" + "\n" + phone cannot collide with another split of the same characters: phones have no newline.
        Assert.NotEqual(
            PairwiseSubject.Of(Secret, "bc-a", new E164Phone("+79001234567")),
            PairwiseSubject.Of(Secret, "bc-a\n+7", new E164Phone("+9001234567")));
    }
}
