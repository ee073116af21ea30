using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Backcall.Web.Tests.Infrastructure;

/// <summary>Screenshots as test artifacts, under TestResults/screenshots/ of the test output directory.</summary>
public static class Screenshots
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static async Task<string> TakeAsync(this IPage page, ITestOutputHelper output, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine("screenshot: " + path);
        return path;
    }
}
