using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Backcall.Core.Calls;
using Backcall.Server.Admin;
using Backcall.Sip;

namespace Backcall.Server.Cli;

/// <summary>
/// <c>backcall call --from N --to N [--server IP:PORT] [--transport udp|tcp|tls] [--ca-file PEM]</c>: places one real
/// SIP call
/// (INVITE with SDP, ACK of the final response) the way a trunk would, to try a server end to end.
/// A 4xx-6xx rejection is what Backcall always answers, so it exits 0; anything else is a failure.
/// What the server made of the call (matched authorization N, expired, wrong caller, ...) is read from
/// the call log in the data directory (or --db), never from the SIP answer: a rejection tells a caller
/// nothing about other apps' authorizations, and only the operator, who holds the data, learns it.
/// </summary>
internal static class CallCommand
{
    /// <summary>No final response: the server is down, firewalled, or does not trust this address.</summary>
    public const int TimedOutExitCode = 3;

    /// <summary>A final response that is not a rejection (2xx or 3xx): not a Backcall server.</summary>
    public const int UnexpectedAnswerExitCode = 4;

    public static Command Build()
    {
        var from = new Option<string>("--from")
        {
            Description = "Calling number (the user's phone), e.g. 89001234567 or +79001234567",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "Called number (a pool number), e.g. 79640000001",
            Required = true,
        };
        from.Validators.Add(r => ValidatePhone(r, "--from"));
        to.Validators.Add(r => ValidatePhone(r, "--to"));
        var server = new Option<string>("--server")
        {
            Description = "Backcall's SIP address, IP[:PORT] (IPv6 in brackets)",
            DefaultValueFactory = _ => "127.0.0.1:5060",
        };
        var transport = new Option<string>("--transport")
        {
            Description = "udp, tcp or tls",
            DefaultValueFactory = _ => "udp",
        };
        transport.AcceptOnlyFromAmong("udp", "tcp", "tls");
        var caFile = new Option<string?>("--ca-file")
        {
            Description =
                "Over tls: a PEM file of the CAs to trust for the server's certificate (default: the system store)",
        };
        caFile.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } path
                && SipCallClient.TlsCaFileProblem(path, "--ca-file") is { } problem)
            {
                r.AddError(problem);
            }
        });
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for a final response (default 32, RFC 3261 Timer B)",
            DefaultValueFactory = _ => 32,
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is <= 0 or > 3600)
            {
                r.AddError("--timeout must be between 0 and 3600 seconds.");
            }
        });

        var call = new Command(
            "call",
            "Place a real SIP call to a Backcall server and print its answer (exit 0 on a 4xx-6xx rejection, "
                + $"{TimedOutExitCode} on no answer, {UnexpectedAnswerExitCode} on any other answer)")
        {
            from,
            to,
            server,
            transport,
            caFile,
            timeout,
        };
        call.Validators.Add(r =>
        {
            if (r.GetValue(caFile) is not null && r.GetValue(transport) != "tls")
            {
                r.AddError("--ca-file applies to --transport tls only");
            }
        });
        call.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            var endpoint = ParseServer(parse.GetValue(server)!, parse.GetValue(transport)!);
            var limit = TimeSpan.FromSeconds(parse.GetValue(timeout));
            var client = new SipCallClient { TlsCaFile = parse.GetValue(caFile) };
            var result = await CallAsync(client, endpoint, parse.GetValue(from)!, parse.GetValue(to)!, limit, ct);
            var outcome = result.TimedOut ? null : await CallOutcomeLookup.FindAsync(parse, result.CallId, ct);
            return Report(parse, endpoint, result, outcome, limit);
        }));
        return call;
    }

    private static async Task<SipCallResult> CallAsync(
        SipCallClient client,
        SipEndpoint endpoint,
        string from,
        string to,
        TimeSpan limit,
        CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(limit);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            // Timer B still applies inside the client; --timeout only shortens the wait.
            return await client.CallAsync(endpoint, from, to, linked.Token);
        }
        catch (OperationCanceledException)
            when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new SipCallResult
            {
                StatusCode = 408,
                ReasonPhrase = "Request Timeout",
                CallId = "",
                TimedOut = true,
                ReceivedProvisional = false,
                InviteTransmissions = 0,
                Elapsed = TimeProvider.System.GetElapsedTime(started),
            };
        }
        catch (SocketException ex)
        {
            // Not an IOException: say where we tried to go, which the socket error alone does not.
            throw new IOException($"cannot reach {endpoint}: {ex.Message}", ex);
        }
        catch (System.Security.Authentication.AuthenticationException ex)
        {
            throw new IOException(
                $"TLS handshake with {endpoint} failed: {ex.InnerException?.Message ?? ex.Message} (does its "
                    + $"certificate name {endpoint.EndPoint.Address}, and "
                    + "is its CA trusted? --ca-file names a CA to trust)",
                ex);
        }
    }

    private static int Report(
        ParseResult parse,
        SipEndpoint endpoint,
        SipCallResult result,
        CallLogEntry? outcome,
        TimeSpan limit)
    {
        var ms = (long)result.Elapsed.TotalMilliseconds;
        var output = parse.InvocationConfiguration.Output;
        if (parse.GetValue(CommonOptions.Json))
        {
            var json = new
            {
                result.StatusCode,
                Reason = result.ReasonPhrase,
                result.CallId,
                ElapsedMs = ms,
                result.TimedOut,
                Outcome = outcome?.Outcome.ToWire(),
                outcome?.AuthorizationId,
            };
            output.WriteLine(JsonSerializer.Serialize(json, AdminJson.Options));
        }
        else if (!result.TimedOut)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.StatusCode} {result.ReasonPhrase}: "
                    + $"{CallOutcomeLookup.Describe(outcome)} (call-id {result.CallId}, {ms} ms)"));
        }

        var error = parse.InvocationConfiguration.Error;
        if (result.TimedOut)
        {
            var waited = result.Elapsed < limit ? result.Elapsed : limit;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"backcall: no final response from {endpoint} within {waited.TotalSeconds:0.#} s (is the server "
                    + $"running, listening on {endpoint.Transport.ToString().ToLowerInvariant()}, "
                    + $"and is this address one of its trunks?)"));
            return TimedOutExitCode;
        }

        if (result.StatusCode is < 400 or > 699)
        {
            error.WriteLine(
                $"backcall: the call was answered {result.StatusCode} "
                    + $"{result.ReasonPhrase}; a Backcall server only ever rejects (4xx-6xx)");
            return UnexpectedAnswerExitCode;
        }

        return 0;
    }

    /// <summary>A phone as a trunk sends it: digits, an optional leading +, separators people type.</summary>
    private static void ValidatePhone(System.CommandLine.Parsing.OptionResult result, string flag)
    {
        var value = result.GetValueOrDefault<string>() ?? "";
        var digits = value
            .Trim()
            .TrimStart('+')
            .Replace(" ", "", StringComparison.Ordinal)
            .Replace("-", "", StringComparison.Ordinal)
            .Replace("(", "", StringComparison.Ordinal)
            .Replace(")", "", StringComparison.Ordinal);
        if (digits.Length is < 3 or > 15 || !digits.All(char.IsAsciiDigit))
        {
            result.AddError(
                $"{flag}: '{value}' is not a phone number; give digits such as 89001234567 or +79001234567");
        }
    }

    /// <summary>
    /// Turns <c>--server IP[:PORT]</c> and <c>--transport</c> into an endpoint, with errors that name the flag.
    /// </summary>
    private static SipEndpoint ParseServer(string server, string transport)
    {
        if (!SipEndpoint.TryParse($"{transport}:{server.Trim()}", out var endpoint))
        {
            throw new ArgumentException(
                $"--server: '{server}' is not IP[:PORT], e.g. "
                    + "127.0.0.1:5060 or [::1]:5060 (host names are not supported)");
        }

        if (endpoint.EndPoint.Port == 0)
        {
            throw new ArgumentException(
                $"--server: '{server}' has port 0; give the port the server listens on (5060 by default)");
        }

        return endpoint;
    }
}
