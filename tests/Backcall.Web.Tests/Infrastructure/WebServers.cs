using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Web.Tests.Infrastructure;

/// <summary>The real backcall process in the configurations the web tests need.</summary>
public static class WebServers
{
    /// <summary>As a developer runs it: DOTNET_ENVIRONMENT=Development, so demo mode is on by configuration.</summary>
    public static Task<BackcallProcess> StartDevelopmentAsync(IDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            environment[k] = v;
        }

        return BackcallProcess.StartAsync(environment: environment);
    }

    /// <summary>As in production (the process's default here): demo mode off.</summary>
    public static Task<BackcallProcess> StartProductionAsync() => BackcallProcess.StartAsync();
}

/// <summary>One development server (demo on, default 120 s lifetime) shared by a test class.</summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    public BackcallProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await WebServers.StartDevelopmentAsync();

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
