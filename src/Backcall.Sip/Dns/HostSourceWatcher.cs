using System.Collections.Concurrent;
using System.Net;
using Backcall.Sip.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Dns;

/// <summary>
/// Keeps host names from <c>Sources</c> resolved: each is re-resolved when its TTL runs out (on the
/// <see cref="TimeProvider"/>); a failed lookup keeps the last addresses and is retried after the minimum TTL.
/// </summary>
internal sealed class HostSourceWatcher(SipDnsResolver resolver, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<IPAddress>> _addresses = new(
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised when the addresses of some name changed.</summary>
    public event Action? Changed;

    /// <summary>The current addresses of a name (empty until its first answer).</summary>
    public IReadOnlyList<IPAddress> Addresses(string name) => _addresses.TryGetValue(name, out var list) ? list : [];

    /// <summary>Resolves every name once, then keeps each fresh until <paramref name="stopping"/>.</summary>
    public Task RunAsync(IEnumerable<string> names, CancellationToken stopping) =>
        Task.WhenAll(names.Distinct(StringComparer.OrdinalIgnoreCase).Select(n => WatchAsync(n, stopping)));

    private async Task WatchAsync(string name, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wait = SipDnsResolver.MinTtl;
            try
            {
                var answer = await resolver.ResolveHostAsync(name, stopping).ConfigureAwait(false);
                if (answer.Values.Count > 0)
                {
                    wait = answer.Ttl;
                    var previous = Addresses(name);
                    if (!previous.Order().SequenceEqual(answer.Values.Order()))
                    {
                        _addresses[name] = answer.Values;
                        SipLog.SourceResolved(logger, name, string.Join(", ", answer.Values), answer.Ttl);
                        Changed?.Invoke();
                    }
                }
                else
                {
                    SipLog.SourceUnresolved(logger, name, answer.Error ?? "no address");
                }

                await Task.Delay(wait, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SipLog.SourceUnresolved(logger, name, ex.Message);
                await Task.Delay(wait, time, stopping)
                    .ContinueWith(_ => { }, TaskScheduler.Default)
                    .ConfigureAwait(false);
            }
        }
    }
}
