using Backcall.Core.Authorizations;
using Backcall.Core.Tokens;

namespace Backcall.Core.Tests.Authorizations;

public sealed class AuthorizationServiceTests
{
    [Fact]
    public async Task Creates_a_pending_authorization_on_a_pool_number()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var token = await h.TokenAsync();

        var outcome = await h.Authorizations.CreateAsync(token, "89001234567", null, false, default);

        var a = Assert.IsType<Authorization>(outcome.Authorization);
        Assert.Equal("+79640000001", a.AuthNumber.Value);
        Assert.Equal("+79001234567", a.UserPhone?.Value);
        Assert.Equal(TimeSpan.FromSeconds(120), a.ExpiresAt - a.CreatedAt);
        Assert.Equal(AuthorizationStatus.Pending, a.Status);
        Assert.True(a.QrKey.Length >= 20);
        Assert.DoesNotContain(
            a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.QrKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_qr_key_finds_its_authorization_while_it_waits_and_after_it_left_memory()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var token = await h.TokenAsync();
        var a = (await h.Authorizations.CreateAsync(token, "89001234567", null, false, default)).Authorization!;

        Assert.Equal(a.Id, (await h.Authorizations.FindByQrKeyAsync(a.QrKey, default))?.Id);

        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await h.Expiry.SweepAsync());
        Assert.False(h.Index.TryGet(a.Id, out _));
        Assert.Equal(a.Id, (await h.Authorizations.FindByQrKeyAsync(a.QrKey, default))?.Id);
        Assert.Null(await h.Authorizations.FindByQrKeyAsync(TokenSecrets.NewKey(), default));
    }

    [Fact]
    public async Task Bad_phone_is_refused_with_the_accepted_forms()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var outcome = await h.Authorizations.CreateAsync(await h.TokenAsync(), "12ab", null, false, default);
        Assert.Equal(CreateFailure.BadPhone, outcome.Failure);
        Assert.Contains("8XXXXXXXXXX", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(50, (await h.Tokens.ListAsync())[0].FreeLeft);
    }

    [Fact]
    public async Task No_free_number_for_the_phone_says_when_to_retry()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var token = await h.TokenAsync();
        Assert.NotNull((await h.Authorizations.CreateAsync(token, "89001234567", null, false, default)).Authorization);

        // Another app asks for the same phone (the same app's request would supersede its own).
        h.Time.Advance(TimeSpan.FromSeconds(20));
        var otherApp = await h.TokenAsync();
        var second = await h.Authorizations.CreateAsync(otherApp, "89001234567", null, false, default);
        Assert.Equal(CreateFailure.NoFreeNumber, second.Failure);
        Assert.Equal(TimeSpan.FromSeconds(100), second.RetryAfter);

        // Another phone can use the same number at the same time.
        Assert.NotNull((await h.Authorizations.CreateAsync(token, "89001112233", null, false, default)).Authorization);

        // After expiry the number is free again for the first phone.
        h.Time.Advance(TimeSpan.FromSeconds(101));
        Assert.NotNull((await h.Authorizations.CreateAsync(token, "89001234567", null, false, default)).Authorization);
    }

    [Fact]
    public async Task Empty_pool_is_no_free_number()
    {
        await using var h = new CoreHarness();
        var outcome = await h.Authorizations.CreateAsync(await h.TokenAsync(), "89001234567", null, false, default);
        Assert.Equal(CreateFailure.NoFreeNumber, outcome.Failure);
    }

    [Fact]
    public async Task Free_requests_then_balance_then_quota_exhausted()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var token = await h.TokenAsync(free: 2, price: 1.5m, limit: 2m);

        for (var i = 0; i < 3; i++)
        {
            var ok = await h.Authorizations.CreateAsync(token, $"8900123450{i}", null, false, default);
            Assert.NotNull(ok.Authorization);
        }

        // 2 free, then -1.5; the next would reach -3.0, past the -2 limit: refused, and not charged.
        var after = (await h.Tokens.ListAsync())[0];
        Assert.Equal((0, -1.5m), (after.FreeLeft, after.Balance));
        var refused = await h.Authorizations.CreateAsync(token, "89001234599", null, false, default);
        Assert.Equal(CreateFailure.QuotaExhausted, refused.Failure);
        Assert.Equal(-1.5m, (await h.Tokens.ListAsync())[0].Balance);

        await h.Tokens.TopUpAsync(token.Id, 10m);
        Assert.NotNull((await h.Authorizations.CreateAsync(token, "89001234599", null, false, default)).Authorization);
        Assert.Equal(7m, (await h.Tokens.ListAsync())[0].Balance);
        Assert.Equal(4, (await h.Tokens.ListAsync())[0].Used);
    }

    [Fact]
    public async Task Disabled_token_cannot_create()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var token = await h.TokenAsync();
        await h.Tokens.SetDisabledAsync(token.Id, true);
        var outcome = await h.Authorizations.CreateAsync(token, "89001234567", null, false, default);
        Assert.Equal(CreateFailure.TokenDisabled, outcome.Failure);
    }

    [Fact]
    public async Task Per_phone_limit_answers_rate_limited()
    {
        await using var h = new CoreHarness(
            new AuthorizationOptions { PerPhoneLimit = 2, PerPhoneWindow = TimeSpan.FromMinutes(10) });
        await h.Numbers.AddAsync("+79640000001");
        await h.Numbers.AddAsync("+79640000002");
        await h.Numbers.AddAsync("+79640000003");
        var token = await h.TokenAsync();
        Assert.NotNull((await h.Authorizations.CreateAsync(token, "89001234567", null, false, default)).Authorization);
        Assert.NotNull((await h.Authorizations.CreateAsync(token, "89001234567", null, false, default)).Authorization);
        var third = await h.Authorizations.CreateAsync(token, "89001234567", null, false, default);
        Assert.Equal(CreateFailure.PhoneRateLimited, third.Failure);
        Assert.NotNull(third.RetryAfter);

        // Other phones are not affected.
        Assert.NotNull((await h.Authorizations.CreateAsync(token, "89001112233", null, false, default)).Authorization);
    }

    [Fact]
    public async Task Disabled_and_removed_numbers_are_not_handed_out()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        await h.Numbers.AddAsync("+79640000002");
        await h.Numbers.SetEnabledAsync("+79640000001", false);
        var token = await h.TokenAsync();
        for (var i = 0; i < 10; i++)
        {
            var a = (await h.Authorizations.CreateAsync(token, $"8900123450{i}", null, false, default)).Authorization!;
            Assert.Equal("+79640000002", a.AuthNumber.Value);
        }

        await h.Numbers.RemoveAsync("+79640000002");
        Assert.Equal(
            CreateFailure.NoFreeNumber,
            (await h.Authorizations.CreateAsync(token, "89001234567", null, false, default)).Failure);
    }

    [Fact]
    public async Task Parallel_creations_never_double_allocate()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        await h.Numbers.AddAsync("+79640000002");
        await h.Numbers.AddAsync("+79640000003");
        var tokens = new List<Core.Tokens.Token>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add(await h.TokenAsync(free: 10_000));
        }

        // 20 phones x 5 attempts each (one per app), all at once, on 3 numbers: each phone gets at most 3.
        var tasks = Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            h.Authorizations.CreateAsync(tokens[i / 20], $"890012300{i % 20:D2}", null, false, default))).ToList();
        var outcomes = await Task.WhenAll(tasks);

        var created = outcomes.Where(o => o.Authorization is not null).Select(o => o.Authorization!).ToList();
        Assert.Equal(60, created.Count);
        Assert.All(
            outcomes.Where(o => o.Authorization is null), o => Assert.Equal(CreateFailure.NoFreeNumber, o.Failure));
        Assert.Equal(created.Count, created.Select(a => (a.AuthNumber, a.UserPhone)).Distinct().Count());
        Assert.Equal(created.Count, created.Select(a => a.Id).Distinct().Count());
        Assert.Equal((5 * 10_000) - 60, (await h.Tokens.ListAsync()).Sum(t => t.FreeLeft));
    }
}
