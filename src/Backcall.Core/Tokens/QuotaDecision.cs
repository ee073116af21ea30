namespace Backcall.Core.Tokens;

/// <summary>How a new authorization is paid for; the storage applies it atomically with the insert.</summary>
public static class QuotaRules
{
    /// <summary>Whether a token in this state can pay for one more authorization.</summary>
    public static bool CanPay(Token token) =>
        token.FreeLeft > 0 || token.Balance - token.Price >= -token.BalanceLimit;
}
