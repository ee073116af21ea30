using System.Diagnostics;
using Backcall.Testing;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>
/// A burst of confirmations for one app, as a busy app makes: every webhook goes to the same host, and all
/// are sent as fast as that host's slots allow. Before claims were fitted to the per-host lanes, most of a
/// burst stayed claimed but unsent until the claim lease ended (timeout + 30 s).
/// </summary>
public sealed class WebhookBurstTests
{
    private const int Burst = 300;

    [Fact]
    public async Task A_burst_for_one_host_is_delivered_at_once_with_nothing_left_waiting_for_a_lease()
    {
        await using var receiver = WebhookReceiver.Start();

        // A receiver that takes a little while, so the burst outruns the host's slots and queues up.
        receiver.Reply = _ => ReceiverReply.Ok with { Delay = TimeSpan.FromMilliseconds(10) };
        await using var s = await WebhookScenario.StartAsync(new Dictionary<string, string>
        {
            ["BACKCALL_Tokens__FreeRequests"] = "10000",
            ["BACKCALL_Tokens__RequestsPerSecond"] = "100000",
            ["BACKCALL_Tokens__Burst"] = "100000",

            // A claim lease (timeout + 30 s) far beyond the wait below, so a busy machine cannot blur the two.
            ["BACKCALL_Webhooks__Timeout"] = "00:01:30",
        });

        var created = await InParallelAsync(Enumerable.Range(0, Burst), 16, async i =>
        {
            var (_, authPhone, userPhone) = await s.CreateAsync(receiver.Url($"/hook/{i}"));
            return (Index: i, AuthPhone: authPhone, UserPhone: userPhone);
        });
        var confirming = Stopwatch.StartNew();
        await InParallelAsync(created, 32, async c =>
        {
            await s.ConfirmAsync(c.UserPhone, c.AuthPhone);
            return 0;
        });
        var confirmed = confirming.Elapsed;

        // The claim lease here is 2 min (Timeout 90 s + 30 s): a parked delivery would miss this by far.
        var deadline = TimeSpan.FromSeconds(60);
        await Wait.UntilAsync(() => DistinctIds(receiver) >= Burst, deadline);
        Assert.True(
            DistinctIds(receiver) == Burst,
            $"{DistinctIds(receiver)} of {Burst} webhooks arrived within {deadline.TotalSeconds} s after the burst"
                + $" ({confirmed.TotalSeconds:0.0} s to confirm)");

        // Each sent once, signed, to its own authorization's URL.
        Assert.Equal(Burst, receiver.Received.Count);
        Assert.Equal(
            created.Select(c => $"/hook/{c.Index}").Order(),
            receiver.Received.Select(r => r.Target[..r.Target.IndexOf('?', StringComparison.Ordinal)]).Order());
        IndependentVerifier.AssertSigned(receiver.Received.First(), s.Secret);
    }

    private static int DistinctIds(WebhookReceiver receiver) =>
        receiver.Received.Select(r => r.Header("webhook-id")).Distinct().Count();

    private static async Task<List<T>> InParallelAsync<TIn, T>(
        IEnumerable<TIn> items, int parallel, Func<TIn, Task<T>> action)
    {
        var results = new List<T>();
        using var gate = new SemaphoreSlim(parallel);
        var tasks = items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await action(item);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        results.AddRange(await Task.WhenAll(tasks));
        return results;
    }
}
