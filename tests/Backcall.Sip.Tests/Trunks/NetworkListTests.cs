using System.Net;

namespace Backcall.Sip.Tests.Trunks;

/// <summary>The one parser of configured network lists (trunk sources, trusted proxies, webhook networks).</summary>
public class NetworkListTests
{
    [Fact]
    public void Addresses_and_blocks_of_both_families_and_several_per_value()
    {
        var networks = NetworkList.Parse(["192.0.2.10", "198.51.100.0/24, 2001:db8::/32;::1 "]);
        Assert.Equal(
            ["192.0.2.10/32", "198.51.100.0/24", "2001:db8::/32", "::1/128"],
            networks.Select(n => n.ToString()));
        Assert.True(networks[1].Contains(IPAddress.Parse("198.51.100.77")));
    }

    [Theory]
    [InlineData("proxy.local")]
    [InlineData("10.0.0.0/33")]
    [InlineData("300.1.1.1")]
    public void A_bad_entry_is_quoted_with_what_is_expected(string entry)
    {
        var ex = Assert.Throws<FormatException>(() => NetworkList.Parse(["10.0.0.1", entry]));
        Assert.Equal($"'{entry}' is not {NetworkList.Expected}.", ex.Message);
        Assert.Equal([entry], NetworkList.Invalid(["10.0.0.1", entry]));
    }

    [Fact]
    public void Trunk_sources_use_it() =>
        Assert.Equal(NetworkList.Parse(["10.1.0.0/16 10.2.0.1"]), SipTrunk.ParseSources(["10.1.0.0/16 10.2.0.1"]));
}
