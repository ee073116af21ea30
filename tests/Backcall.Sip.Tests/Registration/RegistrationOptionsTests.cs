namespace Backcall.Sip.Tests.Registration;

/// <summary><c>Sip:Registrations</c> and <c>Sip:DnsServers</c> checks: each problem is named by its key.</summary>
public sealed class RegistrationOptionsTests
{
    [Theory]
    [InlineData("sip.example.net")]
    [InlineData("192.0.2.10:5070")]
    [InlineData("sip:sip.example.net;transport=tcp")]
    [InlineData("[2001:db8::1]:5060")]
    [InlineData("sips:sip.example.net")]
    public void Usable_registrations_pass(string registrar) =>
        Assert.Empty(Options(r => r.Registrar = registrar).Validate());

    [Theory]
    [InlineData("Registrar", "", "Sip:Registrations:0:Registrar is empty")]
    [InlineData("Registrar", "sip:user@host", "Sip:Registrations:0:Registrar 'sip:user@host' is not a registrar URI")]
    [InlineData("Registrar", "bad host!", "Sip:Registrations:0:Registrar 'bad host!' is not host[:port]")]
    [InlineData("Transport", "sctp", "Sip:Registrations:0:Transport 'sctp' is not udp, tcp or tls")]
    [InlineData("Username", "", "Sip:Registrations:0:Username '' is empty")]
    [InlineData("Username", "a b", "Sip:Registrations:0:Username 'a b'")]
    [InlineData("Number", "", "Sip:Registrations:0:Number is empty")]
    [InlineData("Name", "", "Sip:Registrations:0:Name is empty")]
    [InlineData("Sources", "10.0.0.999", "Sip:Registrations:0:Sources: '10.0.0.999'")]
    [InlineData("CaFile", "/nonexistent/ca.pem", "Sip:Registrations:0:CaFile '/nonexistent/ca.pem' cannot be read")]
    [InlineData("CaFile", "/etc/hostname", "Sip:Registrations:0:CaFile '/etc/hostname' holds no PEM certificate")]
    public void Problems_name_their_key(string field, string value, string message)
    {
        var options = Options(r =>
        {
            switch (field)
            {
                case "Registrar": r.Registrar = value; break;
                case "Transport": r.Transport = value; break;
                case "Username": r.Username = value; break;
                case "Number": r.Number = value; break;
                case "Name": r.Name = value; break;
                case "Sources": r.Sources = [value]; break;
                case "CaFile": r.CaFile = value; break;
            }
        });

        Assert.Contains(options.Validate(), e => e.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Exactly_one_of_password_and_password_file()
    {
        const string exactlyOne = "exactly one of Password and PasswordFile";
        Assert.Contains(
            Options(r => r.Password = null).Validate(), e => e.Contains(exactlyOne, StringComparison.Ordinal));
        Assert.Contains(
            Options(r => r.PasswordFile = "/etc/hostname").Validate(),
            e => e.Contains(exactlyOne, StringComparison.Ordinal));
    }

    [Fact]
    public void A_password_file_readable_by_others_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only
        }

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "secret\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var errors = Options(r => (r.Password, r.PasswordFile) = (null, file)).Validate();
            Assert.Contains(
                errors,
                e => e.Contains("PasswordFile", StringComparison.Ordinal)
                    && e.Contains("chmod 600", StringComparison.Ordinal));

            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Empty(Options(r => (r.Password, r.PasswordFile) = (null, file)).Validate());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_registration_may_not_reuse_a_trunk_name_and_dns_servers_must_be_addresses()
    {
        var options = Options(r => r.Name = "carrier");
        options.Trunks.Add(new TrunkOptions { Name = "carrier", Sources = ["192.0.2.1"] });
        options.DnsServers = "127.0.0.1:5353, dns.example";

        var errors = options.Validate();

        Assert.Contains(
            errors, e => e.StartsWith("Sip:Registrations:0:Name 'carrier' is used twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Sip:DnsServers: 'dns.example'", StringComparison.Ordinal));
    }

    [Fact]
    public void Trunk_sources_may_be_host_names_but_not_garbage()
    {
        var options = new SipOptions();
        options.Trunks.Add(new TrunkOptions { Name = "pbx", Sources = ["pbx.example.net", "192.0.2.0/24"] });
        Assert.Empty(options.Validate());

        options.Trunks[0].Sources = ["300.1.2.3"];
        Assert.Contains(
            options.Validate(), e => e.StartsWith("Sip:Trunks:0:Sources: '300.1.2.3'", StringComparison.Ordinal));
    }

    private static SipOptions Options(Action<RegistrationOptions> change)
    {
        var registration = new RegistrationOptions
        {
            Name = "provider",
            Registrar = "sip.example.net",
            Username = "700100",
            Password = "secret",
            Number = "+74950000001",
        };
        change(registration);
        return new SipOptions { Registrations = [registration] };
    }
}
