using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Dapper;
using Npgsql;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Postgres;

/// <summary>The call log, and the decisions of <see cref="CallService"/> applied with it.</summary>
public sealed partial class PostgresStore
{
    public async Task<CallRecordResult> RecordCallAsync(
        CallDecision decision,
        CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        var call = decision.Call;
        var at = Ms(decision.ReceivedAt);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);

        // The call_id key decides first: a retransmission reaching another node (a proxy failing over)
        // waits here for the first node's transaction and then finds its row, so it changes nothing.
        var logId = await c.ExecuteScalarAsync<long?>(Cmd(
            """
            INSERT INTO call_log (call_id, caller, called, source, received_at, outcome, authorization_id,
                redirected_from)
            VALUES (@CallId, @Caller, @Called, @Source, @at, @outcome, @AuthorizationId, @RedirectedFrom)
            ON CONFLICT (call_id) DO NOTHING RETURNING id
            """,
            CallRow.Parameters(decision),
            tx,
            ct)).ConfigureAwait(false);
        if (logId is null)
        {
            var earlier = await c.QuerySingleAsync<CallRow>(
                    Cmd("SELECT * FROM call_log WHERE call_id = @CallId", new { call.CallId }, tx, ct))
                .ConfigureAwait(false);
            return new CallRecordResult(
                CallRecordStatus.Repeated,
                CallOutcomeNames.FromWire(earlier.Outcome),
                earlier.AuthorizationId);
        }

        Authorization? confirmed = null;
        WebhookDelivery? delivery = null;
        if (decision.Confirm is { } confirm)
        {
            // The premise of the decision: not confirmed yet, and the expiry it was judged against. The row
            // lock makes racing confirmations (two calls, two nodes) queue; the second re-reads status = 1
            // and updates nothing. Expired by the sweep is no obstacle: the call came before the expiry.
            var row = await c.QuerySingleOrDefaultAsync<AuthorizationRow>(Cmd(
                $"""
                UPDATE authorizations SET status = 1, confirmed_at = @at, confirmed_phone = @phone
                WHERE id = @id AND status <> 1 AND expires_at = @seen RETURNING {AuthorizationColumns}
                """,
                new { at, phone = confirm.Phone.Value, id = confirm.AuthorizationId, seen = Ms(confirm.SeenExpiresAt) },
                tx,
                ct)).ConfigureAwait(false);
            if (row is null)
            {
                // Disposing the transaction takes the call_log row back; the core decides again.
                var current = await ReadAuthorizationAsync(c, tx, confirm.AuthorizationId, ct).ConfigureAwait(false);
                return new CallRecordResult(
                    CallRecordStatus.LostRace,
                    decision.Outcome,
                    decision.AuthorizationId,
                    Current: current);
            }

            confirmed = row.ToAuthorization();
            if (confirmed.NotifiesExpiry)
            {
                await WithdrawExpiryNoticesAsync(c, tx, confirmed.Id, ct).ConfigureAwait(false);
            }

            if (confirm.Webhook is { } webhook)
            {
                delivery = await InsertDeliveryAsync(c, tx, confirmed, webhook, ct).ConfigureAwait(false);
            }

            await NotifyAsync(c, tx, ChangeNotification.Authorizations(InstanceId, [confirmed.Id]), ct)
                .ConfigureAwait(false);
        }

        if (decision.Hint is not null && decision.HintIds.Count > 0)
        {
            var ids = decision.HintIds.ToArray();
            await c.ExecuteAsync(
                    Cmd(
                        "UPDATE authorizations SET other_caller = @hint WHERE id = ANY(@ids) AND status = 0",
                        new { hint = decision.Hint, ids },
                        tx,
                        ct))
                .ConfigureAwait(false);
            await NotifyAsync(c, tx, ChangeNotification.Authorizations(InstanceId, ids), ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new CallRecordResult(
            CallRecordStatus.Recorded,
            decision.Outcome,
            decision.AuthorizationId,
            confirmed,
            Delivery: delivery);
    }

    public async Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(
        CallQuery query,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<CallRow>(Cmd(
            """
            SELECT * FROM call_log
            WHERE (@Phone::text IS NULL OR caller = @Phone OR called = @Phone)
                AND (@Outcome::text IS NULL OR outcome = @Outcome)
              AND (@BeforeId::bigint IS NULL OR id < @BeforeId)
              AND (@Since::bigint IS NULL OR received_at >= @Since) AND (@Until::bigint IS NULL OR received_at < @Until)
            ORDER BY id DESC LIMIT @Limit
            """,
            SharedQueries.CallList(query),
            null,
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }
}
