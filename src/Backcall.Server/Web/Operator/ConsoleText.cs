namespace Backcall.Server.Web.Operator;

/// <summary>
/// The console's texts: English keys, translated by <c>ConsoleText.resx</c> (English) and <c>ConsoleText.ru.resx</c>
/// (Russian) through <c>IStringLocalizer&lt;ConsoleText&gt;</c>; the language is chosen as the demo's is
/// (<see cref="Language"/>).
/// </summary>
public sealed class ConsoleText
{
}
