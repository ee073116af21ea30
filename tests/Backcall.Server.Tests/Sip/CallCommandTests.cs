using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary><c>backcall call</c>, the real executable calling the real server over SIP.</summary>
public sealed class CallCommandTests(SipServerFixture fixture) : IClassFixture<SipServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Fact]
    public async Task Call_over_udp_prints_the_486_and_confirms_the_authorization()
    {
        var verification = await Verification.CreateAsync(Server);

        // National forms on both sides: the server normalizes the user parts with the trunk's region.
        var called = "8" + verification.AuthPhone[1..];
        var result = await Server.RunCliAsync(
            "call", "--from", verification.Phone, "--to", called, "--server", fixture.Udp);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(
            $@"^486 Busy Here: matched authorization {verification.Id} \(call-id \S+@backcall, \d+ ms\)$",
            result.Stdout);
        await verification.AssertConfirmedAsync();
    }

    [Fact]
    public async Task Call_over_tcp_with_json_prints_the_answer_as_json()
    {
        var verification = await Verification.CreateAsync(Server);

        var result = await Server.RunCliAsync(
            "call",
            "--from", verification.Phone,
            "--to", verification.AuthPhone,
            "--server", fixture.Tcp,
            "--transport", "tcp",
            "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        Assert.Equal(486, json["status_code"]!.GetValue<int>());
        Assert.Equal("Busy Here", json["reason"]!.GetValue<string>());
        Assert.False(json["timed_out"]!.GetValue<bool>());
        Assert.Equal("matched", json["outcome"]!.GetValue<string>());
        Assert.Equal(verification.Id, json["authorization_id"]!.GetValue<long>());
        Assert.InRange(json["elapsed_ms"]!.GetValue<long>(), 0, 10_000);
        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(json["call_id"]!.GetValue<string>(), row!["call_id"]!.GetValue<string>());
        Assert.Contains("sip:tcp:", row["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_outcome_says_when_no_authorization_waits_for_the_call()
    {
        var result = await Server.RunCliAsync(
            "call", "--from", Verification.NewPhone(), "--to", "79640000003", "--server", fixture.Udp);

        Assert.True(result.ExitCode == 0, result.ToString());
        // Other tests' live authorizations on the same number make it "wrong caller"; either way, said in words.
        Assert.Matches(@"^486 Busy Here: (no live authorization|wrong caller) \(call-id ", result.Stdout);
    }

    [Fact]
    public async Task Without_the_servers_data_the_outcome_is_unknown_and_nothing_is_created()
    {
        using var elsewhere = new TempDirectory("backcall-elsewhere");
        var data = Path.Combine(elsewhere.Path, "data");
        var result = await BackcallProcess.RunCliAsync(
            data, "call", "--from", Verification.NewPhone(), "--to", "79640000003", "--server", fixture.Udp);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("486 Busy Here: outcome unknown", result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "the call command created a data directory");
    }

    [Theory]
    [InlineData("--from", "abc")]
    [InlineData("--to", "sip:x@y")]
    public async Task A_number_that_is_not_a_phone_is_refused(string flag, string value)
    {
        string[] args = flag == "--from"
            ? ["call", "--from", value, "--to", "79640000001", "--server", fixture.Udp]
            : ["call", "--from", "89001234567", "--to", value, "--server", fixture.Udp];
        var result = await Server.RunCliAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{flag}: '{value}' is not a phone number", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout); // the error, not the whole help page
    }

    [Fact]
    public async Task No_answer_is_a_timeout_with_exit_code_3()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never answers
        var server = silent.Client.LocalEndPoint!.ToString()!;

        var result = await Server.RunCliAsync(
            "call", "--from", "89001234567", "--to", "79640000001", "--server", server, "--timeout", "1");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"no final response from udp:{server}", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_refused_tcp_connection_says_where_it_tried()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // now nothing listens there

        var result = await Server.RunCliAsync(
            "call",
            "--from", "89001234567",
            "--to", "79640000001",
            "--server", $"127.0.0.1:{port}",
            "--transport", "tcp");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"cannot reach tcp:127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--server", "sip.example.com:5060", "--server")]
    [InlineData("--server", "127.0.0.1:99999", "--server")]
    [InlineData("--server", "127.0.0.1:0", "port 0")]
    [InlineData("--transport", "sctp", "sctp")]
    [InlineData("--timeout", "0", "--timeout")]
    public async Task Bad_arguments_fail_with_a_message_naming_them(string flag, string value, string expected)
    {
        var result = await Server.RunCliAsync("call", "--from", "89001234567", "--to", "79640000001", flag, value);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from")]
    [InlineData("--to")]
    public async Task A_missing_number_fails_naming_the_option(string missing)
    {
        string[] args = missing == "--from" ? ["call", "--to", "79640000001"] : ["call", "--from", "89001234567"];
        var result = await Server.RunCliAsync(args);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"Option '{missing}' is required", result.Stderr, StringComparison.Ordinal);
    }
}
