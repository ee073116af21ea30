using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Hosting;

/// <summary>The one way the server registers and checks its settings.</summary>
public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to a configuration section and checks it with
    /// <typeparamref name="TValidator"/> before the server does anything (<see cref="ValidateAll"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(
        this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>
    /// Checks every options class registered with <c>ValidateOnStart</c> now, before the database is
    /// opened or a port bound, and reports every problem in one exception (one line: problems joined by "; ").
    /// </summary>
    /// <exception cref="OptionsValidationException">Some setting is invalid.</exception>
    public static void ValidateAll(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (AggregateException many) when (many.InnerExceptions.All(e => e is OptionsValidationException))
        {
            var failures = many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
            throw new OptionsValidationException(Options.DefaultName, typeof(object), failures);
        }
    }
}
