namespace Backcall.Server.Api;

/// <summary>
/// The error texts of the contract API in one place. Clients match substrings: a pending text must not
/// contain "ok", "expire" or "timeout"; an auth failure must contain "token"; an expiry must contain "expired".
/// </summary>
internal static class ContractMessages
{
    public const string Pending = "waiting for the call";
    public const string Expired = "authorization expired: the number was not called in time";
    public const string NotFound = "id record not found";
    public const string BadToken = "invalid token";
    public const string DisabledToken = "token is disabled";
    public const string BadId =
        "id must be a positive integer, as returned by reverse_auth_phone_get or reverse_auth_phone_post";
    public const string WebhookRequired = "webhook is required: an http or https URL to call on confirmation";
    public const string RateLimited =
        "too many requests for this token; slow down and retry after the Retry-After seconds";
    public const string UnknownAction =
        "unknown action; use reverse_auth_phone_get, "
            + "reverse_auth_phone_post, reverse_auth_phone_check/{id} or get_balance";
    public const string BadRequest = "the request could not be read; see the API reference at /docs";
    public const string QrNotFound = "qr image not found";
}
