using System.Net;
using Backcall.Sip.Dns;
using Backcall.Sip.Tests.Server;
using Backcall.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Dns;

/// <summary>
/// A trunk source named by host (as Asterisk's <c>identify</c> allows) follows its DNS record: asked again when the
/// answer's TTL runs out on the server's clock, against a real DNS server (dnsmasq) whose record the test changes.
/// </summary>
public sealed class HostSourceWatcherTests
{
    private const string Name = "pbx.office.test";

    [Fact]
    public async Task A_host_source_is_resolved_again_when_its_ttl_runs_out_and_follows_a_changed_record()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // dnsmasq: Unix only
        }

        var hosts = Directory.CreateTempSubdirectory("backcall-hosts-");
        try
        {
            // dnsmasq runs as nobody and re-reads a changed file of its hostsdir by itself (inotify).
            const UnixFileMode readable =
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            File.SetUnixFileMode(
                hosts.FullName,
                readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            var file = Path.Combine(hosts.FullName, "office");
            await File.WriteAllTextAsync(file, $"127.0.0.4 {Name}\n");
            File.SetUnixFileMode(file, readable);
            await using var dns = await DnsmasqInstance.StartAsync([$"hostsdir={hosts.FullName}", "local-ttl=5"]);
            var time = new FakeTimeProvider();
            var watcher = new HostSourceWatcher(
                new SipDnsResolver(SipDnsResolver.ParseServers(dns.Server)), time, NullLogger.Instance);
            using var stop = new CancellationTokenSource();
            var run = watcher.RunAsync([Name], stop.Token);
            await TlsTransportTests.Eventually(() => Is(watcher, "127.0.0.4"));

            await File.WriteAllTextAsync(file, $"127.0.0.5 {Name}\n");
            await TlsTransportTests.Eventually(
                () => dns.Output.Count(l => l.Contains("read " + file, StringComparison.Ordinal)) >= 2);
            Assert.True(Is(watcher, "127.0.0.4"), "asked again before the TTL ran out");

            // The TTL runs out on the fake clock (advanced until the timer, armed after the first answer, has fired).
            await TlsTransportTests.Eventually(() =>
            {
                time.Advance(TimeSpan.FromSeconds(5));
                return Is(watcher, "127.0.0.5");
            });

            await stop.CancelAsync();
            await run;
        }
        finally
        {
            hosts.Delete(recursive: true);
        }
    }

    private static bool Is(HostSourceWatcher watcher, string address) =>
        watcher.Addresses(Name) is [var only] && only.Equals(IPAddress.Parse(address));
}
