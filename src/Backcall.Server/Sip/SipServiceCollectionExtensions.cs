using Backcall.Server.Hosting;
using Backcall.Sip;

namespace Backcall.Server.Sip;

public static class SipServiceCollectionExtensions
{
    /// <summary>The SIP ingress: options from the <c>Sip</c> section, the bridge to the core, the listener.</summary>
    public static IServiceCollection AddBackcallSip(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SipOptions, SipOptionsValidator>(configuration, SipOptions.SectionName);
        services.AddSingleton<RegistrationStateFile>();
        services.AddSingleton<IInviteHandler, SipInviteHandler>();
        services.AddSingleton<SipListener>();
        services.AddHostedService(sp => sp.GetRequiredService<SipListener>());
        return services;
    }
}
