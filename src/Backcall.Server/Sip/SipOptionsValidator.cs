using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Sip;

/// <summary>
/// Checks the <c>Sip</c> section at start-up with the SIP library's own rules (<see cref="SipOptions.Validate"/>,
/// which also guards the <see cref="SipServer"/> constructor for other hosts of the library).
/// </summary>
internal sealed class SipOptionsValidator : IValidateOptions<SipOptions>
{
    public ValidateOptionsResult Validate(string? name, SipOptions options) =>
        options.Validate() is { Count: > 0 } errors
            ? ValidateOptionsResult.Fail(errors)
            : ValidateOptionsResult.Success;
}
