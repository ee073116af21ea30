namespace Backcall.Server.Admin;

public sealed record CreateTokenRequest(
    string Name,
    decimal? Price = null,
    decimal? BalanceLimit = null,
    int? FreeRequests = null,
    bool NotifyExpired = false);

public sealed record TopUpRequest(decimal Amount);

public sealed record AddNumberRequest(string Number);
