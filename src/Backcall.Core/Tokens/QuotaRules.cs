namespace Backcall.Core.Tokens;

/// <summary>A token's quota after paying for one authorization.</summary>
public readonly record struct QuotaCharge(int FreeLeft, decimal Balance);

/// <summary>
/// How a new authorization is paid for: a free request while any are left, else the price from the
/// balance, down to the balance limit. The store applies <see cref="Charge"/> to the token row it holds
/// locked, in the transaction that inserts the authorization, so racing requests cannot overdraw.
/// </summary>
public static class QuotaRules
{
    /// <summary>Whether a token in this state can pay for one more authorization.</summary>
    public static bool CanPay(Token token) =>
        token.FreeLeft > 0 || token.Balance - token.Price >= -token.BalanceLimit;

    /// <summary>What paying for one authorization leaves; null when the token cannot pay.</summary>
    public static QuotaCharge? Charge(Token token)
    {
        if (!CanPay(token))
        {
            return null;
        }

        return token.FreeLeft > 0
            ? new QuotaCharge(token.FreeLeft - 1, token.Balance)
            : new QuotaCharge(token.FreeLeft, token.Balance - token.Price);
    }
}
