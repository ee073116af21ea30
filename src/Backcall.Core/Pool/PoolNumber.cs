using Backcall.Core.Phones;

namespace Backcall.Core.Pool;

/// <summary>A number of the operator's pool that users are asked to call.</summary>
public sealed record PoolNumber(E164Phone Number, bool Enabled, DateTimeOffset AddedAt, long Used = 0);
