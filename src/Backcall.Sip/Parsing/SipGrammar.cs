using System.Buffers;

namespace Backcall.Sip.Parsing;

/// <summary>Character classes from the RFC 3261 §25.1 ABNF, as SearchValues for vectorised checks.</summary>
internal static class SipGrammar
{
    private const string Alphanum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static readonly SearchValues<char> Token = SearchValues.Create(Alphanum + "-.!%*_+`'~");

    /// <summary>word: token chars plus the separators Call-ID may use (§25.1 "word").</summary>
    public static readonly SearchValues<char> Word = SearchValues.Create(Alphanum + "-.!%*_+`'~()<>:\\\"/[]?{}");

    /// <summary>User part: unreserved / escaped ("%") / user-unreserved.</summary>
    public static readonly SearchValues<char> UserChars = SearchValues.Create(Alphanum + "-_.!~*'()%&=+$,;?/");

    /// <summary>Password: unreserved / escaped / "&amp;" "=" "+" "$" ",".</summary>
    public static readonly SearchValues<char> PasswordChars = SearchValues.Create(Alphanum + "-_.!~*'()%&=+$,");

    /// <summary>URI parameter chars: unreserved / escaped / param-unreserved.</summary>
    public static readonly SearchValues<char> ParamChars = SearchValues.Create(Alphanum + "-_.!~*'()%[]/:&+$");

    /// <summary>URI header chars: unreserved / escaped / hnv-unreserved plus the "=" and "&amp;" separators.</summary>
    public static readonly SearchValues<char> UriHeaderChars = SearchValues.Create(Alphanum + "-_.!~*'()%[]/?:+$=&");

    /// <summary>hostname chars; IPv4 literals are a subset.</summary>
    public static readonly SearchValues<char> HostnameChars = SearchValues.Create(Alphanum + "-.");

    /// <summary>gen-value = token / host / quoted-string: token chars plus IPv6 reference chars.</summary>
    public static readonly SearchValues<char> GenValueChars = SearchValues.Create(Alphanum + "-.!%*_+`'~[]:");

    public static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public static readonly SearchValues<char> SchemeChars = SearchValues.Create(Alphanum + "+-.");

    public static bool IsToken(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExcept(Token);

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    public static bool IsDigits(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');

    /// <summary>Checks that every "%" starts a valid "%" HEXDIG HEXDIG escape.</summary>
    public static bool HasValidEscapes(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf('%'); i >= 0; i = s.IndexOf('%'))
        {
            if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
            {
                return false;
            }

            s = s[(i + 3)..];
        }

        return true;
    }
}
