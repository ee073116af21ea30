using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>The call log, and the decisions of <see cref="CallService"/> applied with it.</summary>
public sealed partial class SqliteStore
{
    public Task<CallRecordResult> RecordCallAsync(
        CallDecision decision,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var call = decision.Call;
            var earlier = c.Prepared(
                    "SELECT outcome, authorization_id FROM call_log WHERE call_id = @CallId",
                    ("@CallId", call.CallId))
                .QueryRow(SqliteRows.RecordedCall);
            if (earlier is not null)
            {
                return new CallRecordResult(
                    CallRecordStatus.Repeated,
                    CallOutcomeNames.FromWire(earlier.Outcome),
                    earlier.AuthorizationId);
            }

            var at = Ms(decision.ReceivedAt);
            Authorization? confirmed = null;
            WebhookDelivery? delivery = null;
            if (decision.Confirm is { } confirm)
            {
                // The premise of the decision: not confirmed yet, and the expiry it was judged against.
                // Expired by the sweep meanwhile is no obstacle: the call was received before the expiry.
                // The row comes back from the update itself: one statement, not a second read.
                var row = c.Prepared(
                        $"""
                        UPDATE authorizations SET status = 1, confirmed_at = @at, confirmed_phone = @phone
                        WHERE id = @id AND status <> 1 AND expires_at = @seen RETURNING {AuthorizationColumns}
                        """,
                        ("@at", at),
                        ("@phone", confirm.Phone.Value),
                        ("@id", confirm.AuthorizationId),
                        ("@seen", Ms(confirm.SeenExpiresAt)))
                    .QueryRow(SqliteRows.Authorization);
                if (row is null)
                {
                    // Nothing written yet: the core decides again on the authorization as it is now.
                    return new CallRecordResult(
                        CallRecordStatus.LostRace,
                        decision.Outcome,
                        decision.AuthorizationId,
                        Current: ReadAuthorization(c, confirm.AuthorizationId));
                }

                confirmed = row.ToAuthorization();
                if (confirmed.NotifiesExpiry)
                {
                    // Two statements fewer for every confirmation of an app that wants no expiry notices.
                    WithdrawExpiryNotices(c, confirmed.Id);
                }

                if (confirm.Webhook is { } webhook)
                {
                    delivery = InsertDelivery(c, confirmed, webhook);
                }
            }

            if (decision.Hint is not null && decision.HintIds.Count > 0)
            {
                // One statement text for any number of ids (a JSON array), so it stays prepared.
                c.Prepared(
                        "UPDATE authorizations SET other_caller = @hint "
                            + "WHERE id IN (SELECT value FROM json_each(@ids)) AND status = 0",
                        ("@hint", decision.Hint),
                        ("@ids", $"[{string.Join(',', decision.HintIds)}]"))
                    .ExecuteNonQuery();
            }

            c.Prepared(
                    """
                    INSERT INTO call_log (call_id, caller, called, source, received_at, outcome, authorization_id,
                        redirected_from)
                    VALUES (@CallId, @Caller, @Called, @Source, @at, @outcome, @AuthorizationId, @RedirectedFrom)
                    """,
                    ("@CallId", call.CallId),
                    ("@Caller", call.Caller?.Value),
                    ("@Called", call.Called.Value),
                    ("@Source", call.Source),
                    ("@at", at),
                    ("@outcome", decision.Outcome.ToWire()),
                    ("@AuthorizationId", decision.AuthorizationId),
                    ("@RedirectedFrom", call.Redirection?.From))
                .ExecuteNonQuery();
            return new CallRecordResult(
                CallRecordStatus.Recorded,
                decision.Outcome,
                decision.AuthorizationId,
                confirmed,
                Delivery: delivery);
        }, cancellationToken);

    public async Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(
        CallQuery query,
        CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<CallRow>(
            """
            SELECT * FROM call_log
            WHERE (@Phone IS NULL OR caller = @Phone OR called = @Phone) AND (@Outcome IS NULL OR outcome = @Outcome)
              AND (@BeforeId IS NULL OR id < @BeforeId)
              AND (@Since IS NULL OR received_at >= @Since) AND (@Until IS NULL OR received_at < @Until)
            ORDER BY id DESC LIMIT @Limit
            """,
            SharedQueries.CallList(query)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }
}
