using Backcall.Core.Tokens;

namespace Backcall.Core.Tests.Tokens;

public sealed class QuotaRulesTests
{
    private static Token Make(int free, decimal balance, decimal price = 2m, decimal limit = 3m) => new()
    {
        Id = 1,
        Name = "t",
        Hash = "h",
        Prefix = "p",
        CreatedAt = DateTimeOffset.UnixEpoch,
        WebhookSecret = "s",
        FreeLeft = free,
        Balance = balance,
        Price = price,
        BalanceLimit = limit,
    };

    [Fact]
    public void Free_requests_are_charged_first_then_the_balance_down_to_the_limit()
    {
        Assert.Equal(new QuotaCharge(0, 1m), QuotaRules.Charge(Make(1, 1m)));
        Assert.Equal(new QuotaCharge(0, -1m), QuotaRules.Charge(Make(0, 1m)));
        Assert.Equal(new QuotaCharge(0, -3m), QuotaRules.Charge(Make(0, -1m)));

        // -3 - 2 = -5 is past the limit of 3: refused, and CanPay says the same.
        Assert.Null(QuotaRules.Charge(Make(0, -3m)));
        Assert.False(QuotaRules.CanPay(Make(0, -3m)));
        Assert.Null(QuotaRules.Charge(Make(0, 0m, price: 1m, limit: 0m) with { Balance = 0.5m }));
    }
}
