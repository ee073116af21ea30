namespace Backcall.Core.Authorizations;

/// <summary>Why an authorization could not be created; each maps to one HTTP answer of the contract.</summary>
public enum CreateFailure
{
    None = 0,
    BadPhone,
    BadWebhook,
    NoFreeNumber,
    QuotaExhausted,
    PhoneRateLimited,

    /// <summary>
    /// Identify mode: the token holds its share of the pool already
    /// (<see cref="AuthorizationOptions.IdentifyPoolShare"/>).
    /// </summary>
    IdentifyShareReached,
    TokenDisabled,
}

/// <summary>The result of creating an authorization: the authorization, or why not.</summary>
public sealed record CreateOutcome(
    Authorization? Authorization,
    CreateFailure Failure,
    string Message,
    TimeSpan? RetryAfter = null)
{
    public static CreateOutcome Created(Authorization a) => new(a, CreateFailure.None, "");

    public static CreateOutcome Fail(CreateFailure failure, string message, TimeSpan? retryAfter = null) =>
        new(null, failure, message, retryAfter);
}
