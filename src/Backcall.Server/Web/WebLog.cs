using Backcall.Server.Logging;

namespace Backcall.Server.Web;

/// <summary>Log messages of the demo and the operator console (event ids from <see cref="ServerEventId"/>).</summary>
internal static partial class WebLog
{
    [LoggerMessage(
        ServerEventId.DemoTokenCreated, LogLevel.Information,
        "Demo token created (id {TokenId}); its secret is kept in {Path}")]
    public static partial void DemoTokenCreated(ILogger logger, long tokenId, string path);

    [LoggerMessage(
        ServerEventId.DemoNumberAdded, LogLevel.Information,
        "Demo mode: the pool was empty, added the demo number {Number}")]
    public static partial void DemoNumberAdded(ILogger logger, string number);

    [LoggerMessage(
        ServerEventId.DemoReady, LogLevel.Information,
        "Demo mode on: token {TokenId}, {Numbers} numbers in the pool, calls simulated by {Simulator}")]
    public static partial void DemoReady(ILogger logger, long tokenId, int numbers, string simulator);

    [LoggerMessage(
        ServerEventId.DemoSimulatedCall, LogLevel.Information,
        "Demo: simulated call from {Caller} to {Called} for authorization {Id} via {Via}: {Result}")]
    public static partial void SimulatedCall(
        ILogger logger, string caller, string called, long id, string via, string result);

    [LoggerMessage(
        ServerEventId.DemoAllowedInProduction, LogLevel.Warning,
        "Demo mode is on in the {Environment} environment (Demo:AllowInProduction): anyone who can reach the page "
            + "can request numbers and place simulated calls")]
    public static partial void DemoInProduction(ILogger logger, string environment);

    [LoggerMessage(ServerEventId.ConsoleSignedIn, LogLevel.Information, "Console: operator signed in from {Address}")]
    public static partial void SignedIn(ILogger logger, string? address);

    [LoggerMessage(ServerEventId.ConsoleSignInRefused, LogLevel.Warning, "Console: wrong admin key from {Address}")]
    public static partial void SignInRefused(ILogger logger, string? address);

    [LoggerMessage(ServerEventId.ConsoleAction, LogLevel.Information, "Console: {Action} {Target}")]
    public static partial void ConsoleAction(ILogger logger, string action, string target);

    [LoggerMessage(
        ServerEventId.ConsoleCsrfRefused, LogLevel.Warning,
        "Console: form refused, missing or invalid anti-forgery token on {Path}")]
    public static partial void CsrfRefused(ILogger logger, string path);

    [LoggerMessage(
        ServerEventId.DemoBootstrapFailed, LogLevel.Error,
        "Demo mode could not be prepared; the demo page will report it")]
    public static partial void DemoBootstrapFailed(ILogger logger, Exception exception);

    [LoggerMessage(ServerEventId.DemoSimulatedCallFailed, LogLevel.Warning, "Demo: simulated call failed")]
    public static partial void SimulatedCallFailed(ILogger logger, Exception exception);
}
