namespace Backcall.Server.Tests.Infrastructure;

/// <summary>One real server for a test class; tests isolate themselves with their own tokens and phones.</summary>
public class SharedServerFixture : IAsyncLifetime
{
    public BackcallProcess Server { get; private set; } = null!;

    protected virtual IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["BACKCALL_Authorizations__PerPhoneLimit"] = "1000",
    };

    public async Task InitializeAsync()
    {
        Server = await BackcallProcess.StartAsync(environment: Environment);
        await Server.AddNumbersAsync("+79640000001", "+79640000002", "+79640000003");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
