using Backcall.Core;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>Checks the <c>Demo</c> section.</summary>
internal sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        var errors = new OptionErrors(DemoOptions.Section);
        errors.NotEmpty(nameof(options.Number), options.Number, "the pool number of the demo, e.g. +79640000001");
        errors.NotEmpty(nameof(options.OtherPhone), options.OtherPhone, "the other caller's phone, e.g. +79990000000");
        return errors.Result();
    }
}
