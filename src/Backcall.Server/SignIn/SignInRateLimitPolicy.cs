using Backcall.Server.Web;
using Microsoft.Extensions.Options;

namespace Backcall.Server.SignIn;

/// <summary>The sign-in page's API limit per client address: <see cref="SignInOptions.RequestsPerMinute"/>.</summary>
internal sealed class SignInRateLimitPolicy(IOptions<SignInOptions> options)
    : PerAddressRateLimitPolicy(() => options.Value.RequestsPerMinute, "sign-in")
{
    public const string Name = "signin";
}
