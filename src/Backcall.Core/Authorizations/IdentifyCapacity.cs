namespace Backcall.Core.Authorizations;

/// <summary>
/// Room for identify mode. Each identify authorization holds a whole number for up to one lifetime, so the pool
/// serves at most one per enabled number per lifetime (<see cref="PerLifetime"/>), fewer while phones wait on them.
/// </summary>
/// <param name="Held">Numbers held by a live identify authorization now.</param>
/// <param name="Free">Numbers an identify request could get now: nothing waits on them.</param>
/// <param name="PerLifetime">Identify authorizations the pool can start per <paramref name="Lifetime"/>: its enabled
/// numbers.</param>
/// <param name="Lifetime">An authorization's lifetime.</param>
public sealed record IdentifyCapacity(int Held, int Free, int PerLifetime, TimeSpan Lifetime);
