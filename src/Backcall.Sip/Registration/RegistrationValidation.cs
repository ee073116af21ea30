using System.Text.RegularExpressions;
using Backcall.Sip.Dns;
using Backcall.Sip.Tls;
using Backcall.Sip.Trunks;

namespace Backcall.Sip.Registration;

/// <summary>Checks <c>Sip:Registrations</c> (and <c>Sip:DnsServers</c>); every message names its key.</summary>
internal static partial class RegistrationValidation
{
    public static void AddErrors(SipOptions options, List<string> errors)
    {
        try
        {
            SipDnsResolver.ParseServers(options.DnsServers);
        }
        catch (FormatException ex)
        {
            errors.Add($"Sip:DnsServers: {ex.Message}");
        }

        var names = new HashSet<string>(options.Trunks.Select(t => t.Name), StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Registrations.Count; i++)
        {
            var r = options.Registrations[i];
            var key = $"Sip:Registrations:{i}";
            if (string.IsNullOrWhiteSpace(r.Name))
            {
                errors.Add($"{key}:Name is empty.");
            }
            else if (!names.Add(r.Name))
            {
                errors.Add($"{key}:Name '{r.Name}' is used twice (trunk and registration names share one namespace).");
            }

            var registrar = RegistrarAddress.TryParse(r.Registrar, r.Transport, out var error);
            if (registrar is null)
            {
                errors.Add(
                    error.StartsWith("Transport", StringComparison.Ordinal)
                        ? $"{key}:{error}."
                        : $"{key}:Registrar {error}.");
            }

            if (!string.IsNullOrWhiteSpace(r.CaFile)
                && !TlsTrust.TryLoadCaFile(r.CaFile, out _, out var caError, $"{key}:CaFile"))
            {
                errors.Add(caError);
            }

            if (!IsUser(r.Username))
            {
                errors.Add(
                    $"{key}:Username '{r.Username}' is empty or not a "
                        + "SIP user name (letters, digits, -_.!~*'()&=+$,;?/).");
            }

            if (r.AuthUsername is { } auth && (auth.Length == 0 || auth.Any(char.IsControl) || auth.Contains('"')))
            {
                errors.Add($"{key}:AuthUsername is empty or holds a quote or control character.");
            }

            AddPasswordErrors(r, key, errors);
            if (r.Expires is < 10 or > 86_400)
            {
                errors.Add($"{key}:Expires {r.Expires} must be between 10 and 86400 seconds.");
            }

            if (string.IsNullOrWhiteSpace(r.Number))
            {
                errors.Add($"{key}:Number is empty; give the pool number this account delivers, e.g. +74950000000.");
            }

            if (string.IsNullOrWhiteSpace(r.Region))
            {
                errors.Add($"{key}:Region is empty.");
            }

            try
            {
                SourceList.Parse(r.Sources);
            }
            catch (FormatException ex)
            {
                errors.Add($"{key}:Sources: {ex.Message}");
            }

            if (r.KeepAliveInterval < TimeSpan.Zero
                || r.RetryInterval <= TimeSpan.Zero
                || r.ForbiddenRetryInterval <= TimeSpan.Zero)
            {
                errors.Add($"{key}: KeepAliveInterval must be >= 0, RetryInterval and ForbiddenRetryInterval > 0.");
            }
        }
    }

    /// <summary>The password of a validated registration: inline or read from its file.</summary>
    public static string ReadPassword(RegistrationOptions options) =>
        options.PasswordFile is { Length: > 0 } file
            ? File.ReadAllText(file).TrimEnd('\r', '\n')
            : options.Password ?? "";

    private static void AddPasswordErrors(RegistrationOptions r, string key, List<string> errors)
    {
        var hasInline = !string.IsNullOrEmpty(r.Password);
        var hasFile = !string.IsNullOrWhiteSpace(r.PasswordFile);
        if (hasInline == hasFile)
        {
            errors.Add($"{key}: set exactly one of Password and PasswordFile.");
            return;
        }

        if (!hasFile)
        {
            return;
        }

        var file = r.PasswordFile!;
        if (!File.Exists(file))
        {
            errors.Add($"{key}:PasswordFile '{file}' does not exist.");
            return;
        }

        if (!OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(file)
                & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite))
                != 0)
        {
            errors.Add(
                $"{key}:PasswordFile '{file}' is readable or writable by others; make it owner-only (chmod 600).");
            return;
        }

        try
        {
            if (ReadPassword(r).Length == 0)
            {
                errors.Add($"{key}:PasswordFile '{file}' is empty.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{key}:PasswordFile '{file}' cannot be read: {ex.Message}");
        }
    }

    private static bool IsUser(string? user) => user is { Length: > 0 } && UserPattern().IsMatch(user);

    // RFC 3261 §25.1 user: unreserved, escaped and user-unreserved characters.
    [GeneratedRegex(@"^([A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$")]
    private static partial Regex UserPattern();
}
