namespace Backcall.Sip.Processing;

/// <summary>RFC 3261 §21 default reason phrases for the codes we send.</summary>
internal static class ReasonPhrases
{
    public static string For(int status) => status switch
    {
        100 => "Trying",
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        416 => "Unsupported URI Scheme",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        484 => "Address Incomplete",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "Version Not Supported",
        600 => "Busy Everywhere",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        >= 400 and < 500 => "Request Failure",
        >= 500 and < 600 => "Server Failure",
        _ => "Global Failure",
    };
}
