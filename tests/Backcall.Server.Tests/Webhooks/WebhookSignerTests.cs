using Backcall.Core.Tokens;
using Backcall.Server.Webhooks;

namespace Backcall.Server.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    [Fact]
    public void Matches_the_standard_webhooks_reference_vector()
    {
        // From the Standard Webhooks spec's reference test: same secret, id, timestamp and content.
        var signature = WebhookSigner.Sign(
            ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Signs_id_timestamp_and_path_and_query_as_an_independent_verifier_checks_them()
    {
        var secret = TokenSecrets.NewWebhookSecret();
        const string target = "/cb?x=a%20b&success=True&phone=89001234567&id=100001";
        var header = WebhookSigner.Sign([secret], "msg_0123", 1_700_000_000, target);

        Assert.True(IndependentVerifier.Verify(secret, "msg_0123", "1700000000", target, header));
        Assert.False(IndependentVerifier.Verify(secret, "msg_0123", "1700000001", target, header));
        Assert.False(IndependentVerifier.Verify(secret, "msg_0124", "1700000000", target, header));
        var otherPhone = target.Replace("89001234567", "89001234568", StringComparison.Ordinal);
        Assert.False(IndependentVerifier.Verify(secret, "msg_0123", "1700000000", otherPhone, header));
        Assert.False(
            IndependentVerifier.Verify(TokenSecrets.NewWebhookSecret(), "msg_0123", "1700000000", target, header));
    }

    [Fact]
    public void During_the_grace_period_both_secrets_sign_and_after_it_only_the_new_one()
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var token = new Token
        {
            Id = 1,
            Name = "t",
            Hash = "h",
            Prefix = "p",
            CreatedAt = now,
            WebhookSecret = TokenSecrets.NewWebhookSecret(),
            PreviousWebhookSecret = TokenSecrets.NewWebhookSecret(),
            PreviousSecretExpiresAt = now.AddHours(1),
        };

        var during = WebhookSigner.SecretsOf(token, now);
        Assert.Equal([token.WebhookSecret, token.PreviousWebhookSecret], during);
        var header = WebhookSigner.Sign(during, "msg_1", 1, "/x");
        Assert.Equal(2, header.Split(' ').Length);
        Assert.True(IndependentVerifier.Verify(token.WebhookSecret, "msg_1", "1", "/x", header));
        Assert.True(IndependentVerifier.Verify(token.PreviousWebhookSecret, "msg_1", "1", "/x", header));

        Assert.Equal([token.WebhookSecret], WebhookSigner.SecretsOf(token, now.AddHours(1)));
        Assert.Equal(
            [token.WebhookSecret], WebhookSigner.SecretsOf(token with { PreviousSecretExpiresAt = null }, now));
    }
}
