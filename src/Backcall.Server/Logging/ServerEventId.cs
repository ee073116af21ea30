namespace Backcall.Server.Logging;

/// <summary>
/// The event id of every log message of the server, in one place (as Npgsql's <c>NpgsqlEventId</c>), so that
/// an operator can filter or alert on one and no two messages share one. The product's ranges:
/// <code>
/// 1000–1099  host: start, working set, HTTP requests               (this class)
/// 1100–1199  housekeeping: expiry, pruning, catalog refresh         (this class)
/// 1300–1399  cluster sync: the change feed applied to memory        (this class)
/// 2000–2099  webhooks (docs/webhooks.md: alert on 2002 and 2003)    (this class)
/// 3000–3099  web pages: demo and operator console                   (this class)
/// 3100–3199  sign-in provider: OpenID Connect, keys, sign-ins       (this class)
/// 4000–4099  SIP ingress: the bridge from the SIP stack to the core (this class)
/// 5000–5999  the SIP stack                                          (Backcall.Sip: SipEventId)
/// 6000–6099  PostgreSQL storage: the change feed                    (Backcall.Storage.Postgres: PostgresEventId)
/// </code>
/// Ids once published stay (operators alert on them); a removed message leaves its id unused. A test fails
/// when two messages share an id or a message's id is not declared in one of these classes.
/// </summary>
internal static class ServerEventId
{
    public const int HttpRequest = 1000;
    public const int Started = 1001;
    public const int WorkingSetLoaded = 1002;

    public const int Expired = 1100;
    public const int Pruned = 1101;
    public const int HousekeepingFailed = 1190;
    public const int CatalogRefreshFailed = 1191;

    public const int ClusterResynced = 1300;
    public const int ClusterApplyFailed = 1301;
    public const int ClusterFeedFailed = 1302;

    public const int WebhookDispatcherStarted = 2000;
    public const int WebhookDelivered = 2001;
    public const int WebhookAttemptFailed = 2002;
    public const int WebhookDeliveryFailed = 2003;
    public const int WebhookAttemptNotRecorded = 2004;
    public const int WebhookDispatcherFailed = 2005;
    public const int WebhookClaimsReleased = 2006;
    public const int WebhookRefused = 2010;
    public const int WebhookHostUnchecked = 2011;
    public const int WebhookRetryRequested = 2020;

    public const int DemoTokenCreated = 3000;
    public const int DemoNumberAdded = 3001;
    public const int DemoReady = 3002;
    public const int DemoSimulatedCall = 3003;
    public const int DemoAllowedInProduction = 3004;
    public const int ConsoleSignedIn = 3010;
    public const int ConsoleSignInRefused = 3011;
    public const int ConsoleAction = 3012;
    public const int ConsoleCsrfRefused = 3013;
    public const int DemoBootstrapFailed = 3090;
    public const int DemoSimulatedCallFailed = 3091;

    public const int SignInKeysChanged = 3100;
    public const int SignInKeyRefreshFailed = 3101;
    public const int SignInCompleted = 3102;
    public const int SignInRefused = 3103;
    public const int SignInKeysUnusable = 3104;

    public const int SipInviteHandled = 4000;
    public const int SipCalledNotANumber = 4001;
    public const int SipRedirectedInviteHandled = 4002;
    public const int SipRegistrationStateFileFailed = 4003;
    public const int SipCallLogWriteFailed = 4004;
}
