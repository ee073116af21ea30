namespace Backcall.Core.Tokens;

/// <summary>Defaults for new tokens and per-token limits (configuration section <c>Tokens</c>).</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>Free authorizations a new token gets. The contract says 50.</summary>
    public int FreeRequests { get; set; } = 50;

    /// <summary>What one authorization costs after the free ones.</summary>
    public decimal DefaultPrice { get; set; } = 1m;

    public decimal DefaultBalanceLimit { get; set; }

    /// <summary>Sustained API requests per second per token (every endpoint counts).</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests a token may send at once above the sustained rate.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>How long the old webhook secret keeps signing after a rotation.</summary>
    public TimeSpan SecretRotationGrace { get; set; } = TimeSpan.FromHours(24);
}
