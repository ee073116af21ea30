using Backcall.Core;
using Backcall.Core.Authorizations;
using Backcall.Core.Tokens;
using Backcall.Server.Hosting;
using Backcall.Server.Sip;
using Backcall.Server.Storage;
using Backcall.Server.Web.Demo;
using Backcall.Server.Webhooks;
using Backcall.Sip;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Tests.Hosting;

/// <summary>Each options class's validator: defaults pass; each problem names its key and what is allowed.</summary>
public sealed class OptionsValidatorTests
{
    [Fact]
    public void Defaults_pass()
    {
        Assert.Empty(Failures(new ServerOptionsValidator(), new ServerOptions()));
        Assert.Empty(Failures(new StorageOptionsValidator(), new StorageOptions()));
        Assert.Empty(Failures(DemoValidator(Environments.Production), new DemoOptions()));
        Assert.Empty(Failures(new SipOptionsValidator(), new SipOptions()));
        Assert.Empty(Failures(new AuthorizationOptionsValidator(), new AuthorizationOptions()));
        Assert.Empty(Failures(new TokenOptionsValidator(), new TokenOptions()));
    }

    [Fact]
    public void Core_options_name_the_key_and_the_range()
    {
        var authorizations = new AuthorizationOptions
        {
            Lifetime = TimeSpan.FromSeconds(1),
            DefaultRegion = "ru",
            PerPhoneLimit = 0,
        };
        Assert.Equal(
            [
                "Authorizations:Lifetime must be from 5 s to 1 h; it is 1 s.",
                "Authorizations:DefaultRegion 'ru' is not two capital letters (ISO 3166), e.g. RU.",
                "Authorizations:PerPhoneLimit must be from 1 to 1000000; it is 0.",
            ],
            Failures(new AuthorizationOptionsValidator(), authorizations));

        Assert.Equal(
            [
                "Tokens:DefaultPrice must be from 0 to 1000000; it is -1.",
                "Tokens:Burst must be from 1 to 1000000; it is 0.",
            ],
            Failures(new TokenOptionsValidator(), new TokenOptions { DefaultPrice = -1m, Burst = 0 }));
    }

    [Fact]
    public void Server_options_name_the_key_and_the_allowed_form()
    {
        var options = new ServerOptions
        {
            DataDirectory = " ",
            PublicBaseUrl = "auth.example.com",
            TrustedProxies = ["10.0.0.1", "192.168.0.0/16, ::1", "proxy.local", "10.0.0.0/40"],
        };

        var failures = Failures(new ServerOptionsValidator(), options);

        Assert.Equal(4, failures.Count);
        StartsWith("Server:DataDirectory is empty", failures[0]);
        StartsWith("Server:PublicBaseUrl 'auth.example.com' is not an absolute http(s) URL", failures[1]);
        StartsWith("Server:TrustedProxies 'proxy.local' is not an IP address or a CIDR block", failures[2]);
        StartsWith("Server:TrustedProxies '10.0.0.0/40'", failures[3]);
    }

    [Fact]
    public void Storage_options_want_one_database_and_a_connection_string_that_parses()
    {
        var validator = new StorageOptionsValidator();
        Assert.Empty(Failures(validator, new StorageOptions { Postgres = "Host=127.0.0.1;Database=b" }));
        Assert.Empty(Failures(validator, new StorageOptions { SqlitePath = "/tmp/x.db" }));

        var both = Failures(validator, new StorageOptions { Postgres = "Host=db", SqlitePath = "x.db" });
        StartsWith("Storage:SqlitePath is set together with Storage:Postgres", Assert.Single(both));

        var garbage = Failures(validator, new StorageOptions { Postgres = "nonsense=1;Password=hunter2" });
        StartsWith("Storage:Postgres is not a PostgreSQL connection string", Assert.Single(garbage));
        Assert.DoesNotContain("hunter2", garbage[0], StringComparison.Ordinal);

        var noHost = Failures(validator, new StorageOptions { Postgres = "Database=b" });
        StartsWith("Storage:Postgres names no Host", Assert.Single(noHost));
    }

    [Fact]
    public void Demo_options_need_both_numbers()
    {
        var failures = Failures(
            DemoValidator(Environments.Development), new DemoOptions { Number = "", OtherPhone = " " });
        Assert.Equal(["Demo:Number", "Demo:OtherPhone"], failures.Select(f => f.Split(' ')[0]));
    }

    [Fact]
    public void Demo_mode_outside_development_needs_allow_in_production_and_a_positive_rate()
    {
        var on = new DemoOptions { Enabled = true };
        Assert.Empty(Failures(DemoValidator(Environments.Development), on));
        StartsWith(
            "Demo:Enabled is true in the Production environment",
            Assert.Single(Failures(DemoValidator(Environments.Production), on)));
        on.AllowInProduction = true;
        Assert.Empty(Failures(DemoValidator(Environments.Production), on));

        var noRate = Failures(DemoValidator(Environments.Development), new DemoOptions { RequestsPerMinute = 0 });
        StartsWith("Demo:RequestsPerMinute must be from 1 to", Assert.Single(noRate));
    }

    private static DemoOptionsValidator DemoValidator(string environment) =>
        new(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment });

    [Fact]
    public void Sip_options_are_checked_by_the_sip_library_rules()
    {
        var options = new SipOptions { RejectCode = 200, Endpoints = "udp:nowhere" };
        var failures = Failures(new SipOptionsValidator(), options);
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Sip:RejectCode 200", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(100, "100 ms")]
    [InlineData(15_000, "15 s")]
    [InlineData(300_000, "5 min")]
    [InlineData(3_600_000, "1 h")]
    [InlineData(86_400_000, "1 day")]
    [InlineData(7 * 86_400_000L, "7 days")]
    [InlineData(1_500, "1500 ms")]
    [InlineData(0, "0")]
    public void Durations_are_written_in_words(long milliseconds, string words) =>
        Assert.Equal(words, OptionErrors.Describe(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void A_range_problem_names_the_property_passed_and_says_the_range_and_the_value()
    {
        var options = new WebhookOptions { Timeout = TimeSpan.FromMilliseconds(50), MaxConcurrency = 2 };
        var errors = new OptionErrors("Webhooks");
        errors.Between(options.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        errors.Between(options.MaxConcurrency, 1, 1024);
        var result = errors.Result();
        Assert.Equal("Webhooks:Timeout must be from 100 ms to 5 min; it is 50 ms.", Assert.Single(result.Failures!));
    }

    private static void StartsWith(string expected, string actual) =>
        Assert.StartsWith(expected, actual, StringComparison.Ordinal);

    private static List<string> Failures<T>(IValidateOptions<T> validator, T options)
        where T : class
    {
        var result = validator.Validate(null, options);
        Assert.Equal(result.Failed, result.Failures?.Any() == true);
        return [.. result.Failures ?? []];
    }
}
