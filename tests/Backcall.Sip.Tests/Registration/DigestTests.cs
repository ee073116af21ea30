using Backcall.Sip.Registration;

namespace Backcall.Sip.Tests.Registration;

/// <summary>Digest answers checked against the worked example of RFC 7616 §3.9.1 (MD5 and SHA-256).</summary>
public sealed class DigestTests
{
    private const string Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private const string Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_example_gives_the_published_response(string algorithm, string expected)
    {
        var credentials = new DigestCredentials("Mufasa", "Circle of Life", realm: null) { NewCnonce = () => Cnonce };
        var challenge = DigestChallenge.TryParse(
            $"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, "
            + $"nonce=\"{Nonce}\", opaque=\"{Opaque}\"",
            isProxy: false);

        Assert.Null(credentials.Accept([challenge!]));
        var value = credentials.Response("GET", "/dir/index.html");

        Assert.Contains($"response=\"{expected}\"", value, StringComparison.Ordinal);
        Assert.Contains("qop=auth, nc=00000001", value, StringComparison.Ordinal);
        Assert.Contains($"opaque=\"{Opaque}\"", value, StringComparison.Ordinal);
        Assert.Contains($"cnonce=\"{Cnonce}\"", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Nonce_count_rises_with_each_use_of_the_same_nonce()
    {
        var credentials = Accepting("Digest realm=\"r\", nonce=\"n1\", qop=\"auth\"");

        Assert.Contains("nc=00000001", credentials.Response("REGISTER", "sip:r"), StringComparison.Ordinal);
        Assert.Contains("nc=00000002", credentials.Response("REGISTER", "sip:r"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_strongest_supported_algorithm_wins_rfc8760()
    {
        var credentials = new DigestCredentials("u", "p", realm: null);
        Assert.Null(credentials.Accept([
            DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"a\", algorithm=MD5, qop=\"auth\"", false)!,
            DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"b\", algorithm=SHA-512-256, qop=\"auth\"", false)!,
            DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"c\", algorithm=SHA-256, qop=\"auth\"", false)!,
        ]));

        Assert.Contains("algorithm=SHA-256", credentials.Response("REGISTER", "sip:r"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_challenge_from_another_realm_is_not_answered_when_the_realm_is_configured()
    {
        var credentials = new DigestCredentials("u", "p", realm: "provider.example");

        var problem = credentials.Accept(
            [DigestChallenge.TryParse("Digest realm=\"evil.example\", nonce=\"x\"", false)!]);

        Assert.Contains("evil.example", problem, StringComparison.Ordinal);
        Assert.Null(credentials.Authorize("REGISTER", "sip:provider.example"));
    }

    [Fact]
    public void Rfc2069_challenge_without_qop_is_answered_without_nc_and_cnonce()
    {
        var credentials = Accepting("Digest realm=\"r\", nonce=\"n\"");

        var value = credentials.Response("REGISTER", "sip:r");

        Assert.DoesNotContain("nc=", value, StringComparison.Ordinal);
        Assert.DoesNotContain("cnonce", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_challenge_is_answered_in_proxy_authorization_and_stale_is_read()
    {
        var challenge = DigestChallenge.TryParse(
            "Digest realm=\"r\", nonce=\"n\", stale=TRUE, qop=auth", isProxy: true)!;
        var credentials = new DigestCredentials("u", "p", realm: null);
        credentials.Accept([challenge]);

        Assert.True(challenge.Stale);
        Assert.StartsWith(
            "Proxy-Authorization: Digest ", credentials.Authorize("REGISTER", "sip:r"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic realm=\"r\"")]
    [InlineData("Digest realm=\"r\"")]
    [InlineData("Digestrealm=\"r\", nonce=\"n\"")]
    public void Unusable_challenges_are_not_parsed(string header) =>
        Assert.Null(DigestChallenge.TryParse(header, false));

    private static DigestCredentials Accepting(string header)
    {
        var credentials = new DigestCredentials("u", "p", realm: null);
        Assert.Null(credentials.Accept([DigestChallenge.TryParse(header, false)!]));
        return credentials;
    }
}
