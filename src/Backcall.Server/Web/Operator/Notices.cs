namespace Backcall.Server.Web.Operator;

/// <summary>
/// The notices a redirect may show: fixed texts by key, so a link cannot put words in the console's mouth.
/// </summary>
internal static class Notices
{
    /// <summary>The notice's text (a key of <see cref="ConsoleText"/>), or null when there is none.</summary>
    public static string? Text(string? key) => key switch
    {
        null or "" => null,
        "token-disabled" => "Token disabled: its requests are refused from now on.",
        "token-enabled" => "Token enabled.",
        "token-topped-up" => "Balance topped up.",
        "number-added" => "Number added to the pool.",
        "number-exists" => "That number is in the pool already.",
        "number-disabled" => "Number disabled: it is no longer handed out.",
        "number-enabled" => "Number enabled.",
        "number-removed" => "Number removed. Authorizations already on it stay valid until they end.",
        "webhook-retried" => "Delivery scheduled again.",
        "client-disabled" => "Client disabled: its users cannot sign in.",
        "client-enabled" => "Client enabled.",
        "client-removed" => "Client removed.",
        "client-just-call-on" => "Just call offered: its sign-in page offers both ways.",
        "client-just-call-off" => "Just call off: its sign-in page offers only entering the phone.",
        "not-found" => "Not found: it may have been removed meanwhile.",
        "not-done" => "Not done: the request was not understood.",
        _ => "Done.",
    };
}
