using System.Collections.Concurrent;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Backcall.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Sends the outbox: claims due deliveries (the claim lease keeps other nodes off them), runs them through
/// <see cref="WebhookLanes"/> with bounded concurrency, and records every attempt with the next state the
/// <see cref="WebhookRetryPolicy"/> gives. The webhook of a confirmation made here skips the claim: it is
/// queued already claimed by this node and handed over (<see cref="IDeliveryHandOff"/>). The dispatcher wakes
/// at once for an expiry in this process and for a confirmation's webhook it had no room to take, and
/// otherwise polls, which picks up retries falling due and deliveries queued by other nodes.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService, IDeliveryHandOff
{
    private readonly IWebhookOutbox _store;
    private readonly ICatalogStore _tokens;
    private readonly WebhookAdmin _admin;
    private readonly Core.Catalog.CatalogCache _catalog;
    private readonly WebhookSender _sender;
    private readonly WebhookRetryPolicy _policy;
    private readonly CallService _calls;
    private readonly ExpiryService _expiry;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly Metrics.WebhookMetrics _metrics;
    private readonly WebhookLanes _lanes;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentQueue<string> _handBack = new();
    private CancellationToken _stopping;

    public WebhookDispatcher(
        IWebhookOutbox store,
        ICatalogStore tokens,
        WebhookAdmin admin,
        Core.Catalog.CatalogCache catalog,
        WebhookSender sender,
        WebhookRetryPolicy policy,
        CallService calls,
        ExpiryService expiry,
        IOptions<WebhookOptions> options,
        IOptions<ServerOptions> server,
        TimeProvider time,
        ILogger<WebhookDispatcher> logger,
        Metrics.WebhookMetrics metrics)
    {
        _metrics = metrics;
        _store = store;
        _tokens = tokens;
        _admin = admin;
        _catalog = catalog;
        _sender = sender;
        _policy = policy;
        _calls = calls;
        _expiry = expiry;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _lanes = new WebhookLanes(_options.MaxConcurrency, _options.MaxConcurrencyPerHost);
        Node = string.IsNullOrWhiteSpace(server.Value.NodeName)
            ? $"{Environment.MachineName}:{Environment.ProcessId}"
            : server.Value.NodeName;
    }

    public string Node { get; }

    /// <summary>Asks for a pass now (a delivery was queued or a slot came free).</summary>
    public void Poke()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already pending; it will see this too.
        }
        catch (ObjectDisposedException)
        {
            // Stopped: a delivery finishing during shutdown has nothing left to wake.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        _calls.DeliveryQueued += OnDeliveryQueued;
        _calls.DeliveryHandOff = this;
        _expiry.Expired += OnQueued;
        _admin.RetryRequested += OnRetryRequested;
        WebhookLog.DispatcherStarted(_logger, Node, _options.MaxConcurrency, _options.MaxConcurrencyPerHost);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PumpAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    WebhookLog.DispatcherFailed(_logger, ex);
                }

                await WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _calls.DeliveryHandOff = null;
            _calls.DeliveryQueued -= OnDeliveryQueued;
            _expiry.Expired -= OnQueued;
            _admin.RetryRequested -= OnRetryRequested;

            // In-flight attempts see the cancellation and record themselves as interrupted.
            while (!_running.IsEmpty)
            {
                await Task.WhenAll(_running.Keys).ConfigureAwait(false);
            }

            // Claimed but not started: free for another node (or this one restarted) now, not after the lease.
            foreach (var id in _lanes.TakeAllWaiting())
            {
                _handBack.Enqueue(id);
            }

            try
            {
                await HandBackAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                WebhookLog.DispatcherFailed(_logger, ex);
            }
        }
    }

    public DeliveryLease? Lease(string url, DateTimeOffset now) =>
        _stopping.IsCancellationRequested || !_lanes.HasRoomFor(url)
            ? null
            : new DeliveryLease(Node, now + _options.ClaimLease);

    public void Take(WebhookDelivery delivery, DeliveryLease lease)
    {
        if (!_lanes.Offer(delivery, lease.Until))
        {
            // The lane filled up since the lease was given: the claim goes back, due at once for any node.
            _handBack.Enqueue(delivery.Id);
            Poke();
            return;
        }

        StartReady(_stopping);
    }

    private void OnDeliveryQueued(WebhookDelivery delivery) => Poke();

    private void OnQueued(Authorization authorization)
    {
        if (authorization.Webhook is not null)
        {
            Poke();
        }
    }

    /// <summary>
    /// An operator asked for a retry, here or in another process (the CLI): send it now, not at the next poll.
    /// </summary>
    private void OnRetryRequested(string? deliveryId)
    {
        WebhookLog.RetryRequested(_logger, deliveryId ?? "(another process)");
        Poke();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            StartReady(cancellationToken);
            await HandBackAsync().ConfigureAwait(false);
            var plan = _lanes.PlanClaim();
            if (plan.Limit <= 0)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var leaseUntil = now + _options.ClaimLease;
            var claimed = await _store
                .ClaimDueDeliveriesAsync(Node, now, leaseUntil, plan.Limit, plan.SkipHosts, cancellationToken)
                .ConfigureAwait(false);
            foreach (var delivery in claimed)
            {
                if (!_lanes.Offer(delivery, leaseUntil))
                {
                    _handBack.Enqueue(delivery.Id);
                }
            }

            StartReady(cancellationToken);
            if (claimed.Count < plan.Limit)
            {
                await HandBackAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>
    /// Releases the claims this node will not use (a full lane, a lease too short to start on): due again
    /// at once for any node, not after the lease. Done even when stopping, so another node need not wait.
    /// </summary>
    private async Task HandBackAsync()
    {
        var ids = new List<string>();
        while (_handBack.TryDequeue(out var id))
        {
            ids.Add(id);
        }

        if (ids.Count > 0)
        {
            var released = await _store
                .ReleaseDeliveryClaimsAsync(Node, ids, CancellationToken.None)
                .ConfigureAwait(false);
            WebhookLog.ClaimsReleased(_logger, released);
        }
    }

    private void StartReady(CancellationToken cancellationToken)
    {
        var ready = _lanes.TakeStartable(_time.GetUtcNow(), _options.Timeout + TimeSpan.FromSeconds(5));
        foreach (var id in ready.Expiring)
        {
            _handBack.Enqueue(id);
        }

        if (ready.Expiring.Count > 0)
        {
            Poke();
        }

        foreach (var (host, delivery) in ready.Start)
        {
            var task = Task.Run(() => DeliverAsync(delivery, cancellationToken), CancellationToken.None);
            _running[task] = 0;
            _ = task.ContinueWith(
                t =>
                {
                    _running.TryRemove(t, out _);

                    // The freed slot goes to the host's next waiting delivery at once; the outbox is asked
                    // again only when that can find something the last claim could not take.
                    if (_lanes.Complete(host))
                    {
                        Poke();
                    }

                    if (!cancellationToken.IsCancellationRequested)
                    {
                        StartReady(cancellationToken);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var attempt = await AttemptAsync(delivery, cancellationToken).ConfigureAwait(false);

            // Recorded even when stopping: the attempt happened, and an interrupted one is due again at once.
            await _store.RecordDeliveryAttemptAsync(attempt, CancellationToken.None).ConfigureAwait(false);
            Report(delivery, attempt);
        }
        catch (Exception ex)
        {
            // Not recorded: the claim lease runs out and the delivery is tried again.
            WebhookLog.AttemptNotRecorded(_logger, delivery.Id, ex);
        }
    }

    private async Task<DeliveryAttempt> AttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var token =
            _catalog.FindToken(delivery.TokenId)
            ?? await _tokens.GetTokenAsync(delivery.TokenId, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return new DeliveryAttempt(
                delivery.Id,
                startedAt,
                null,
                $"API token {delivery.TokenId} no longer exists, so there is no secret to sign with",
                TimeSpan.Zero,
                WebhookDeliveryStatus.Failed,
                null);
        }

        Uri uri;
        try
        {
            uri = WebhookUrl.For(delivery);
        }
        catch (UriFormatException ex)
        {
            return new DeliveryAttempt(
                delivery.Id,
                startedAt,
                null,
                "webhook URL is not valid: " + ex.Message,
                TimeSpan.Zero,
                WebhookDeliveryStatus.Failed,
                null);
        }

        try
        {
            var result = await _sender
                .SendAsync(uri, delivery.Id, WebhookSigner.SecretsOf(token, startedAt), cancellationToken)
                .ConfigureAwait(false);
            return _policy.Decide(delivery, startedAt, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(
                delivery.Id,
                startedAt,
                null,
                "interrupted: the server was stopping",
                _time.GetUtcNow() - startedAt,
                WebhookDeliveryStatus.Pending,
                _time.GetUtcNow());
        }
    }

    private void Report(WebhookDelivery delivery, DeliveryAttempt attempt)
    {
        var host = WebhookLanes.HostOf(delivery.Url);
        var number = delivery.Attempts + 1;
        var ms = attempt.Latency.TotalMilliseconds;
        _metrics.Attempted(attempt.NewStatus, attempt.Latency);
        switch (attempt.NewStatus)
        {
            case WebhookDeliveryStatus.Delivered:
                WebhookLog.Delivered(
                    _logger,
                    delivery.Id,
                    delivery.AuthorizationId,
                    host,
                    attempt.HttpStatus ?? 0,
                    ms,
                    number);
                break;
            case WebhookDeliveryStatus.Failed:
                WebhookLog.DeliveryFailed(
                    _logger,
                    delivery.Id,
                    delivery.AuthorizationId,
                    host,
                    number,
                    attempt.Error ?? "");
                break;
            default:
                WebhookLog.AttemptFailed(
                    _logger,
                    delivery.Id,
                    delivery.AuthorizationId,
                    host,
                    number,
                    attempt.Error ?? "",
                    attempt.NextAttemptAt);
                break;
        }
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var poll = new CancellationTokenSource(_options.PollInterval, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, poll.Token);
        try
        {
            await _wake.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}
