using Backcall.Server.Webhooks;

namespace Backcall.Server.Tests.Webhooks;

public sealed class WebhookUrlTests
{
    private const string Added = "success=True&phone=89001234567&id=100001";

    [Theory]
    [InlineData("https://app.example.com/cb", "https://app.example.com/cb?" + Added)]
    [InlineData("https://app.example.com/cb?", "https://app.example.com/cb?" + Added)]
    [InlineData("https://app.example.com/cb?user=5", "https://app.example.com/cb?user=5&" + Added)]
    [InlineData("https://app.example.com/cb?user=5&", "https://app.example.com/cb?user=5&" + Added)]
    [InlineData("https://app.example.com/cb?a=1&&b=x%20y", "https://app.example.com/cb?a=1&b=x%20y&" + Added)]
    [InlineData(
        "https://app.example.com/cb?id=7&success=False&phone=1&keep=1", "https://app.example.com/cb?keep=1&" + Added)]
    [InlineData("https://app.example.com/cb?ID=7", "https://app.example.com/cb?ID=7&" + Added)]
    [InlineData("https://app.example.com/cb#frag", "https://app.example.com/cb?" + Added)]
    [InlineData("https://app.example.com", "https://app.example.com/?" + Added)]
    [InlineData("http://app.example.com:8081/a/b/", "http://app.example.com:8081/a/b/?" + Added)]
    [InlineData("http://[2001:db8::1]:8080/cb", "http://[2001:db8::1]:8080/cb?" + Added)]
    public void Parameters_are_added_to_the_webhook(string webhook, string expected)
    {
        Assert.Equal(expected, WebhookUrl.Build(webhook, true, "89001234567", 100001).AbsoluteUri);
    }

    [Fact]
    public void An_expiry_notice_has_success_False_and_an_empty_phone()
    {
        var uri = WebhookUrl.Build("https://app.example.com/cb", false, "", 100002);
        Assert.Equal("/cb?success=False&phone=&id=100002", uri.PathAndQuery);
    }

    [Fact]
    public void Values_are_url_encoded()
    {
        var uri = WebhookUrl.Build("https://app.example.com/cb", true, "+7 900&x=1", 3);
        Assert.Equal("/cb?success=True&phone=%2B7%20900%26x%3D1&id=3", uri.PathAndQuery);
    }

    [Fact]
    public void A_default_port_is_not_added()
    {
        Assert.Equal(
            "https://app.example.com/cb?success=True&phone=8&id=1",
            WebhookUrl.Build("https://app.example.com:443/cb", true, "8", 1).AbsoluteUri);
    }
}
