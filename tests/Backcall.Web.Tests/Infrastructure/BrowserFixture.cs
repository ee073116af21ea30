using Microsoft.Playwright;

namespace Backcall.Web.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole run: the system's own (Debian's <c>chromium</c> package, installed by
/// scripts/install-test-deps.sh), driven by Playwright's driver that ships inside its NuGet package. Nothing
/// is downloaded: a missing browser fails the tests with what to install, it never skips them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The browser binary: BACKCALL_CHROMIUM if set, else Debian's.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("BACKCALL_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {ExecutablePath}. "
                + "Install it with scripts/install-test-deps.sh (apt-get install chromium), "
                + "or point BACKCALL_CHROMIUM at a Chromium binary. The browser tests never download a browser.");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        // Expect(...) waits for the page to get there; its default 5 s is short for a busy machine.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
            Timeout = 60_000,
        });
    }

    /// <summary>
    /// A fresh browser context (own cookies) for one test, on a desktop screen unless told otherwise.
    /// </summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseUrl, BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseUrl.ToString();
        options.Locale ??= "en-US";
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 900 };
        return Browser.NewContextAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    // One collection: the tests share one browser and run one after another, which suits two CPU cores and
    // keeps a "call from another phone" in one test away from another test's pending authorization.
    public const string Name = "browser";
}
