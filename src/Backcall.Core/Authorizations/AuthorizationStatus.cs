namespace Backcall.Core.Authorizations;

/// <summary>The authorization state machine: pending → ok | expired. Nothing leaves ok or expired.</summary>
public enum AuthorizationStatus
{
    Pending = 0,
    Ok = 1,
    Expired = 2,
}
