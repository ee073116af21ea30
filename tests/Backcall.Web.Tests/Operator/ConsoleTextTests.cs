using System.Collections;
using System.Globalization;
using System.Resources;
using Backcall.Server.Web.Operator;

namespace Backcall.Web.Tests.Operator;

/// <summary>
/// The console's two languages hold the same texts: none is left in English on the Russian pages by omission.
/// </summary>
public sealed class ConsoleTextTests
{
    [Fact]
    public void English_and_Russian_have_the_same_keys_and_no_empty_text()
    {
        var resources = new ResourceManager(typeof(ConsoleText).FullName!, typeof(ConsoleText).Assembly);
        var english = Texts(resources, CultureInfo.InvariantCulture);
        var russian = Texts(resources, CultureInfo.GetCultureInfo("ru"));

        Assert.True(english.Count > 100, "the English texts are missing");
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), russian.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(russian, t => string.IsNullOrWhiteSpace(t.Value));

        // Placeholders survive translation.
        foreach (var (key, value) in russian)
        {
            Assert.Equal(
                key.Contains("{0}", StringComparison.Ordinal), value.Contains("{0}", StringComparison.Ordinal));
        }
    }

    private static Dictionary<string, string> Texts(ResourceManager resources, CultureInfo culture)
    {
        var set = resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!;
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }
}
