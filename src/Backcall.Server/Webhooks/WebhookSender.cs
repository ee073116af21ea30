using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Makes one signed attempt. The HTTP client is locked down for calling untrusted URLs: connections only
/// through <see cref="WebhookConnector"/>, no proxy, no redirects (a 3xx is a failure), no cookies, no
/// decompression, a timeout for the whole attempt, and at most <see cref="WebhookOptions.MaxResponseBytes"/>
/// of the body read.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private const int ErrorSnippetLength = 200;
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(WebhookConnector connector, IOptions<WebhookOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = connector.ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _options.Timeout,

            // Pooled connections were checked when opened; a bounded lifetime makes names resolve (and be checked)
            // again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = _options.MaxConcurrencyPerHost,
            MaxResponseHeadersLength = 32,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Backcall-Webhooks/1.0");
    }

    public async Task<WebhookAttemptResult> SendAsync(
        Uri uri,
        string deliveryId,
        IReadOnlyList<string> secrets,
        CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Get, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.TryAddWithoutValidation("webhook-id", deliveryId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(
            "webhook-signature",
            WebhookSigner.Sign(secrets, deliveryId, timestamp, uri.PathAndQuery));
        try
        {
            using var response = await _client
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var body = await ReadCappedAsync(response, linked.Token).ConfigureAwait(false);
            var latency = _time.GetElapsedTime(started);
            if (status is >= 200 and < 300)
            {
                return new WebhookAttemptResult(status, null, latency);
            }

            return new WebhookAttemptResult(status, Describe(response, body), latency, RetryAfter(response));
        }
        catch (OperationCanceledException)
            when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(
                null,
                $"timed out after {_options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
                _time.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            var refused = Refusal(ex);
            return new WebhookAttemptResult(
                null,
                refused is null ? Describe(ex) : "refused before connecting: " + refused.Message,
                _time.GetElapsedTime(started),
                Permanent: refused?.Permanent ?? false);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[_options.MaxResponseBytes];
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            // The rest is never downloaded: disposing the response drops the connection instead of draining it.
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
    }

    private static string Describe(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var text = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}").TrimEnd();
        if (status is >= 300 and < 400)
        {
            text += $": redirects are not followed (Location: {Clip(response.Headers.Location?.ToString() ?? "none")})";
        }
        else if (!string.IsNullOrWhiteSpace(body))
        {
            text += ": " + Clip(body);
        }

        return text;
    }

    private static WebhookRefusedException? Refusal(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is WebhookRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static string Describe(HttpRequestException ex) =>
        ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{ex.Message} ({inner.Message})"
            : ex.Message;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string Clip(string text)
    {
        var flat = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= ErrorSnippetLength ? flat : flat[..ErrorSnippetLength] + "…";
    }
}
