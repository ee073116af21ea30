using System.Net;
using Backcall.Sip.Trunks;

namespace Backcall.Sip.Tests.Trunks;

/// <summary>The value a proxy puts in its forwarded-source header (Kamailio: <c>$siz:$sp;transport=$pr</c>).</summary>
public class ForwardedSourceTests
{
    [Theory]
    [InlineData("198.51.100.7:5060", "198.51.100.7:5060", null)]
    [InlineData("198.51.100.7:5060;transport=udp", "198.51.100.7:5060", "udp")]
    [InlineData("  198.51.100.7:5062 ;transport=TCP  ", "198.51.100.7:5062", "tcp")]
    [InlineData("198.51.100.7:5060;lr;x=1;transport=tls", "198.51.100.7:5060", "tls")]
    [InlineData("[2001:db8::7]:5061;transport=udp", "[2001:db8::7]:5061", "udp")]
    [InlineData("[::ffff:198.51.100.7]:5060", "198.51.100.7:5060", null)]
    public void Parses_an_address_a_port_and_the_transport(string value, string endpoint, string? transport)
    {
        Assert.True(ForwardedSource.TryParse(value, out var source));
        Assert.Equal(IPEndPoint.Parse(endpoint), source.EndPoint);
        Assert.Equal(transport, source.Transport);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("198.51.100.7")] // no port
    [InlineData("198.51.100.7:")]
    [InlineData("198.51.100.7:0")]
    [InlineData("198.51.100.7:65536")]
    [InlineData("198.51.100.7:+5060")]
    [InlineData("198.51.100.7:50x60")]
    [InlineData("198.51.100:5060")] // shorthand IPv4 would name another host
    [InlineData("1.2:5060")]
    [InlineData("carrier.example:5060")] // names are not sources
    [InlineData("2001:db8::7:5060")] // bare IPv6: port or last group?
    [InlineData("[2001:db8::7]")]
    [InlineData("[2001:db8::7]5060")]
    [InlineData("[198.51.100.7]:5060")]
    [InlineData("198.51.100.7:5060, 192.0.2.1:5060")] // a list: which one?
    [InlineData("198.51.100.7:5060;transport=")]
    [InlineData("198.51.100.7:5060;transport=udp;transport=tcp")]
    [InlineData("198.51.100.7:5060;transport=u dp")]
    public void Refuses_anything_else(string? value)
    {
        Assert.False(ForwardedSource.TryParse(value, out _));
    }
}
