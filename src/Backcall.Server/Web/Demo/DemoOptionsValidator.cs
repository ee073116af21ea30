using Backcall.Core;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// Checks the <c>Demo</c> section; demo mode outside Development only when the operator says so
/// (<see cref="DemoOptions.AllowInProduction"/>): the demo hands out numbers and places calls for any visitor.
/// </summary>
internal sealed class DemoOptionsValidator(IHostEnvironment environment) : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        var errors = new OptionErrors(DemoOptions.Section);
        errors.NotEmpty(nameof(options.Number), options.Number, "the pool number of the demo, e.g. +79640000001");
        errors.NotEmpty(nameof(options.OtherPhone), options.OtherPhone, "the other caller's phone, e.g. +79990000000");
        errors.Between(options.RequestsPerMinute, 1, 1_000_000);
        if (options.Enabled && !options.AllowInProduction && !environment.IsDevelopment())
        {
            errors.Add(
                nameof(options.Enabled),
                $"is true in the {environment.EnvironmentName} environment, where the demo would hand out numbers and "
                + "place calls for any visitor; turn it off, or set "
                + "Demo:AllowInProduction=true to run it there anyway.");
        }

        return errors.Result();
    }
}
