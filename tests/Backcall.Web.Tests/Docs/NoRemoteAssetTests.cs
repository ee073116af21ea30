using Backcall.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.Docs;

/// <summary>Pages that must work offline: the landing page without demo mode, and the API reference.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NoRemoteAssetTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Without_demo_mode_the_root_page_points_at_the_docs_and_console_and_the_demo_api_is_off()
    {
        await using var server = await WebServers.StartProductionAsync();
        await using var context = await browser.NewContextAsync(server.BaseUrl);
        var page = await context.NewPageAsync();
        var foreign = ForeignRequests.Record(page);
        await page.GotoAsync("/");
        await Expect(page.Locator("a[href='/docs']")).ToBeVisibleAsync();
        await Expect(page.Locator("a[href='/admin']")).ToBeVisibleAsync();
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "demo.token")));
        var start = await context.APIRequest.PostAsync(
            "/demo/api/start", new() { DataObject = new { phone = "89001115501" } });
        Assert.Equal(404, start.Status);
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task The_API_reference_loads_no_remote_asset()
    {
        await using var server = await WebServers.StartProductionAsync();
        await using var context = await browser.NewContextAsync(server.BaseUrl);
        var page = await context.NewPageAsync();
        var foreign = ForeignRequests.Record(page);
        await page.GotoAsync("/docs");
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await page.TakeAsync(output, "docs");
        Assert.True(foreign.Count == 0, "the API reference fetched remote assets:\n" + string.Join('\n', foreign));
    }
}
