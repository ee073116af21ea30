using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>The demo endpoints' limit per client address: <see cref="DemoOptions.RequestsPerMinute"/>.</summary>
internal sealed class DemoRateLimitPolicy(IOptions<DemoOptions> options)
    : PerAddressRateLimitPolicy(() => options.Value.RequestsPerMinute, "demo")
{
    public const string Name = "demo";
}
