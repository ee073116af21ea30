using System.Net;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Message;

namespace Backcall.Sip.Tests.Registration;

/// <summary>
/// The registration state machine on a fake clock: digest rounds, refresh, back-off, stale nonces, shutdown.
/// </summary>
public sealed class OutboundRegistrationTests
{
    private const string Challenge =
        "WWW-Authenticate: Digest realm=\"provider.example\", nonce=\"n1\", qop=\"auth\", algorithm=MD5";

    [Fact]
    public async Task Registers_after_a_digest_challenge_and_refreshes_at_half_the_granted_time()
    {
        await using var script = new RegistrarScript();
        script.Start();

        var first = await script.NextRequestAsync();
        Assert.Null(first.GetHeader("Authorization"));
        Assert.Equal("sip:sip.provider.example", first.RawRequestUri);
        Assert.Equal("300", first.GetHeader("Expires"));
        Assert.Contains($";line={script.Registration.LineToken}", first.GetHeader("Contact"), StringComparison.Ordinal);
        script.Answer(first, 401, "Unauthorized", Challenge);

        var second = await script.NextRequestAsync();
        var authorization = second.GetHeader("Authorization")!;
        Assert.Contains("username=\"700100\"", authorization, StringComparison.Ordinal);
        Assert.Contains("nc=00000001", authorization, StringComparison.Ordinal);
        Assert.Equal(first.CallId, second.CallId);
        Assert.Equal(first.CSeq!.Value.Number + 1, second.CSeq!.Value.Number);
        script.Grant(second, 120);

        var registered = await script.NextStatusAsync();
        Assert.Equal(RegistrationState.Registered, registered.State);
        Assert.Equal(script.Time.GetUtcNow().AddSeconds(120), registered.RegisteredUntil);
        Assert.Equal(script.Time.GetUtcNow().AddSeconds(60), registered.NextAttempt);

        script.Time.Advance(TimeSpan.FromSeconds(60));
        var refresh = await script.NextRequestAsync();
        Assert.Equal(first.CallId, refresh.CallId);
        Assert.Equal(second.CSeq!.Value.Number + 1, refresh.CSeq!.Value.Number);
        // The nonce is reused.
        Assert.Contains("nc=00000002", refresh.GetHeader("Authorization"), StringComparison.Ordinal);
        Assert.Contains("nonce=\"n1\"", refresh.GetHeader("Authorization"), StringComparison.Ordinal);
        await script.StopAsync();
    }

    [Fact]
    public async Task A_stale_nonce_is_answered_again_without_counting_as_a_failure()
    {
        await using var script = new RegistrarScript();
        script.Start();
        var first = await script.NextRequestAsync();
        script.Answer(first, 401, "Unauthorized", Challenge);
        script.Grant(await script.NextRequestAsync(), 60);
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);

        script.Time.Advance(TimeSpan.FromSeconds(30));
        var refresh = await script.NextRequestAsync();
        script.Answer(
            refresh, 401, "Unauthorized", Challenge.Replace("n1", "n2", StringComparison.Ordinal) + ", stale=true");
        var again = await script.NextRequestAsync();
        Assert.Contains("nonce=\"n2\"", again.GetHeader("Authorization"), StringComparison.Ordinal);
        Assert.Contains("nc=00000001", again.GetHeader("Authorization"), StringComparison.Ordinal);
        script.Grant(again, 60);

        var status = await script.NextStatusAsync();
        Assert.Equal(RegistrationState.Registered, status.State);
        Assert.Equal(0, status.ConsecutiveFailures);
        await script.StopAsync();
    }

    [Fact]
    public async Task Rejected_credentials_fail_with_the_long_interval_and_a_timeout_with_the_short_one()
    {
        await using var script = new RegistrarScript(o =>
        {
            o.RetryInterval = TimeSpan.FromSeconds(30);
            o.ForbiddenRetryInterval = TimeSpan.FromMinutes(10);
        });
        script.Start();
        script.Answer(await script.NextRequestAsync(), 401, "Unauthorized", Challenge);
        script.Answer(
            await script.NextRequestAsync(),
            401,
            "Unauthorized",
            Challenge.Replace("n1", "n3", StringComparison.Ordinal));

        var failing = await script.NextStatusAsync();
        Assert.Equal(RegistrationState.Failing, failing.State);
        Assert.Equal(401, failing.LastStatus);
        Assert.Contains("credentials rejected", failing.LastReason, StringComparison.Ordinal);
        Assert.Equal(script.Time.GetUtcNow().AddMinutes(10), failing.NextAttempt);

        // Nothing is sent before the interval; then a new attempt starts (and this time the registrar is silent).
        script.Time.Advance(TimeSpan.FromMinutes(10));
        var retry = await script.NextRequestAsync();
        var transmissions = 1;
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(32); elapsed += TimeSpan.FromMilliseconds(500))
        {
            script.Time.Advance(TimeSpan.FromMilliseconds(500));
            while (script.Link.Sent.Reader.TryRead(out _))
            {
                transmissions++; // Timer E retransmissions of the same REGISTER
            }
        }

        var timedOut = await script.NextStatusAsync();
        Assert.Equal(408, timedOut.LastStatus);
        Assert.Equal(2, timedOut.ConsecutiveFailures);
        Assert.True(transmissions > 1, "UDP REGISTER was never retransmitted");
        Assert.NotNull(retry);
        await script.StopAsync();
    }

    [Fact]
    public async Task Forbidden_waits_the_long_interval()
    {
        await using var script = new RegistrarScript();
        script.Start();
        script.Answer(await script.NextRequestAsync(), 403, "Forbidden");

        var failing = await script.NextStatusAsync();
        Assert.Equal(403, failing.LastStatus);
        Assert.Equal(script.Time.GetUtcNow() + script.Options.ForbiddenRetryInterval, failing.NextAttempt);
        await script.StopAsync();
    }

    [Fact]
    public async Task A_registration_that_keeps_failing_the_same_way_is_logged_once()
    {
        await using var script = new RegistrarScript();
        script.Start();
        script.Answer(await script.NextRequestAsync(), 403, "Forbidden");
        Assert.Equal(1, (await script.NextStatusAsync()).ConsecutiveFailures);

        script.Time.Advance(script.Options.ForbiddenRetryInterval);
        script.Answer(await script.NextRequestAsync(), 403, "Forbidden");
        Assert.Equal(2, (await script.NextStatusAsync()).ConsecutiveFailures);

        script.Time.Advance(script.Options.ForbiddenRetryInterval);
        script.Grant(await script.NextRequestAsync(), 300);
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);

        Assert.Equal(
            [SipEventId.RegistrationFailing, SipEventId.Registered],
            script.Log.Events.Where(id => id is SipEventId.Registered or SipEventId.RegistrationFailing));
        await script.StopAsync();
    }

    [Fact]
    public async Task Proxy_challenge_is_answered_with_proxy_authorization()
    {
        await using var script = new RegistrarScript();
        script.Start();
        script.Answer(await script.NextRequestAsync(), 407, "Proxy Authentication Required",
            "Proxy-Authenticate: Digest realm=\"provider.example\", nonce=\"p1\", qop=\"auth\", algorithm=SHA-256");

        var answered = await script.NextRequestAsync();
        Assert.Null(answered.GetHeader("Authorization"));
        Assert.Contains("algorithm=SHA-256", answered.GetHeader("Proxy-Authorization"), StringComparison.Ordinal);
        await script.StopAsync();
    }

    [Fact]
    public async Task Interval_too_brief_asks_again_with_min_expires()
    {
        await using var script = new RegistrarScript(o => o.Expires = 60);
        script.Start();
        script.Answer(await script.NextRequestAsync(), 423, "Interval Too Brief", "Min-Expires: 600");

        Assert.Equal("600", (await script.NextRequestAsync()).GetHeader("Expires"));
        await script.StopAsync();
    }

    [Fact]
    public async Task Shutdown_unregisters_with_expires_zero()
    {
        await using var script = new RegistrarScript();
        script.Start();
        script.Grant(await script.NextRequestAsync(), 300);
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);

        await script.StopAsync(); // answers the Expires: 0 it sends

        Assert.Equal(1, script.Unregisters);
        Assert.Equal(RegistrationState.Stopped, script.Registration.Status.State);
    }

    [Fact]
    public async Task A_response_from_another_address_or_for_another_request_is_ignored()
    {
        await using var script = new RegistrarScript();
        script.Start();
        var request = await script.NextRequestAsync();
        var forged = Support.SipText.ParseResponse(Support.SipText.Bytes(
            $"SIP/2.0 200 OK\nVia: {request.GetHeader("Via")}\n"
            + $"From: {request.GetHeader("From")}\nTo: {request.GetHeader("To")}\n"
            + $"Call-ID: {request.CallId}\nCSeq: {request.CSeq!.Value.Number} REGISTER\nContent-Length: 0\n\n"));

        script.Registration.OnResponse(forged, System.Net.IPAddress.Parse("203.0.113.66"));

        Assert.Equal(RegistrationState.Starting, script.Registration.Status.State);
        await script.StopAsync();
    }

    [Fact]
    public async Task Over_tls_the_via_says_tls_and_the_contact_is_a_sips_uri()
    {
        await using var script = new RegistrarScript(transport: SipTransport.Tls);
        script.Start();

        var register = await script.NextRequestAsync();
        Assert.Equal("sips:sip.provider.example", register.RawRequestUri);
        Assert.StartsWith(
            "SIP/2.0/TLS 198.51.100.5:40000;rport;branch=", register.GetHeader("Via"), StringComparison.Ordinal);
        Assert.Equal(
            $"<sips:700100@198.51.100.5:40000;line={script.Registration.LineToken}>", register.GetHeader("Contact"));
        script.Grant(register, 60);
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);
        Assert.Equal("tls:192.0.2.10:5060", script.Registration.Status.RegistrarAddress);
        await script.StopAsync();
    }

    [Fact]
    public async Task Behind_a_nat_the_challenge_tells_our_public_address_and_the_authenticated_register_binds_it()
    {
        await using var script = new RegistrarScript();
        script.Start();
        var nat = new IPEndPoint(IPAddress.Parse("127.0.0.9"), 41000);

        var first = await script.NextRequestAsync();
        Assert.Contains("@198.51.100.5:40000;", first.GetHeader("Contact"), StringComparison.Ordinal);
        script.AnswerSeenAt(nat, first, 401, "Unauthorized", Challenge);

        var second = await script.NextRequestAsync();
        Assert.Equal($"<sip:700100@127.0.0.9:41000;line={script.Registration.LineToken}>", second.GetHeader("Contact"));
        Assert.Single(second.GetHeaders("Contact")); // nothing was bound at the private address: nothing to remove
        script.AnswerSeenAt(nat, second, 200, "OK", $"Contact: {second.GetHeader("Contact")};expires=60");

        var registered = await script.NextStatusAsync();
        Assert.Equal(RegistrationState.Registered, registered.State);
        Assert.Equal(script.Time.GetUtcNow().AddSeconds(60), registered.RegisteredUntil);
        Assert.Contains(5505, script.Log.Events); // the move is logged
        await script.StopAsync();
    }

    [Fact]
    public async Task When_the_nat_binding_changes_it_registers_the_new_address_at_once_and_removes_the_old_one()
    {
        await using var script = new RegistrarScript();
        script.Start();
        var before = new IPEndPoint(IPAddress.Parse("127.0.0.9"), 41000);
        var first = await script.NextRequestAsync();
        script.AnswerSeenAt(before, first, 200, "OK");
        var rebound = await script.NextRequestAsync(); // a 2xx for the private address binds nothing reachable
        Assert.Contains("@127.0.0.9:41000;", rebound.GetHeader("Contact"), StringComparison.Ordinal);
        script.AnswerSeenAt(before, rebound, 200, "OK", $"Contact: {rebound.GetHeader("Contact")};expires=60");
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);

        // At the refresh the NAT has given us another port: re-register it without waiting for the next refresh.
        var after = new IPEndPoint(IPAddress.Parse("127.0.0.9"), 42000);
        script.Time.Advance(TimeSpan.FromSeconds(30));
        var refresh = await script.NextRequestAsync();
        script.AnswerSeenAt(after, refresh, 200, "OK");
        var moved = await script.NextRequestAsync();
        var contacts = moved.GetHeaders("Contact").ToList();
        Assert.Equal($"<sip:700100@127.0.0.9:42000;line={script.Registration.LineToken}>", contacts[0]);
        Assert.Equal($"<sip:700100@127.0.0.9:41000;line={script.Registration.LineToken}>;expires=0", contacts[1]);
        Assert.Equal(refresh.CSeq!.Value.Number + 1, moved.CSeq!.Value.Number);
        script.AnswerSeenAt(after, moved, 200, "OK", $"Contact: {contacts[0]};expires=60");
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);

        // A registrar that reports yet another address on that answer does not make us loop within one attempt.
        script.Time.Advance(TimeSpan.FromSeconds(30));
        var again = await script.NextRequestAsync();
        script.AnswerSeenAt(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 43000), again, 200, "OK");
        var movedAgain = await script.NextRequestAsync();
        Assert.Contains("@127.0.0.9:43000;", movedAgain.GetHeader("Contact"), StringComparison.Ordinal);
        script.AnswerSeenAt(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 44000), movedAgain, 200, "OK");
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);
        Assert.False(script.Link.Sent.Reader.TryRead(out _), "a third REGISTER in one attempt");
        await script.StopAsync();
    }

    [Fact]
    public async Task Keep_alives_go_out_every_interval_on_the_registrations_socket()
    {
        await using var script = new RegistrarScript(
            o => o.KeepAliveInterval = TimeSpan.FromSeconds(25), SipTransport.Tls);
        script.Start();
        script.Grant(await script.NextRequestAsync(), 300);
        Assert.Equal(RegistrationState.Registered, (await script.NextStatusAsync()).State);

        // Each advance fires the keep-alive timer once it is armed; wait for the pings themselves, not for time.
        for (var expected = 1; expected <= 3; expected++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (script.Link.KeepAlives < expected)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"keep-alive {expected} never sent");
                script.Time.Advance(TimeSpan.FromSeconds(25));
                await Task.Delay(20);
            }
        }

        await script.StopAsync();
    }
}
