using Backcall.Core.Authorizations;
using Backcall.Core.Phones;
using Backcall.Core.Tokens;

namespace Backcall.Core.Tests.Authorizations;

public sealed class CompactKeyTests
{
    [Fact]
    public void Every_key_the_server_makes_is_held_as_its_bytes_and_given_back_as_it_was()
    {
        for (var i = 0; i < 2_000; i++)
        {
            var key = TokenSecrets.NewKey();
            Assert.True(CompactKey.TryParse(key, out var bits), key);
            Assert.Equal(key, CompactKey.Format(bits));
            var a = Make(key);
            Assert.True(a.TryGetCompactQrKey(out var held));
            Assert.Equal(bits, held);
            Assert.Equal(key, a.QrKey);
        }
    }

    [Theory]
    [InlineData("k1")] // a test's or an older key: another length
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")] // 22 characters, but the last one's spare bits are not zero
    [InlineData("AAAAAAAAAAAAAAAAAAAA+A")] // standard base64, not URL-safe
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")] // padded
    [InlineData("AAAAAAAAAAAAAAAAAAAAA")] // one short
    [InlineData("AAAAAAAAAAAAAAAAAAAA A")]
    public void A_key_in_any_other_form_is_kept_as_given(string key)
    {
        Assert.False(CompactKey.TryParse(key, out _));
        var a = Make(key);
        Assert.False(a.TryGetCompactQrKey(out _));
        Assert.Equal(key, a.QrKey);
    }

    [Fact]
    public void Records_with_the_same_key_are_equal_and_with_another_are_not()
    {
        var key = TokenSecrets.NewKey();
        Assert.Equal(Make(key), Make(key));
        Assert.NotEqual(Make(key), Make(TokenSecrets.NewKey()));
        Assert.NotEqual(Make("k1"), Make("k2"));
    }

    private static Authorization Make(string qrKey) => new()
    {
        Id = 7,
        TokenId = 1,
        UserPhone = new E164Phone("+79001234567"),
        AuthNumber = new E164Phone("+79640000001"),
        QrKey = qrKey,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(2),
        Status = AuthorizationStatus.Pending,
    };
}
