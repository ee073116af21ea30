using System.Buffers.Binary;
using System.Buffers.Text;

namespace Backcall.Core.Authorizations;

/// <summary>
/// A random key as <see cref="Tokens.TokenSecrets.NewKey"/> makes it (16 bytes, 22 URL-safe base64 characters),
/// held as its 16 bytes: the index keeps one per live authorization, and as a string it took 72 bytes.
/// </summary>
internal static class CompactKey
{
    private const int Bytes = 16;
    private const int Chars = 22;

    /// <summary>
    /// The key's bytes when it is in exactly the form <see cref="Format"/> gives back: a key of another length or
    /// alphabet, or one whose last character carries bits a 16-byte key leaves zero, is kept as its string.
    /// </summary>
    public static bool TryParse(string key, out UInt128 bits)
    {
        Span<byte> bytes = stackalloc byte[Bytes];
        // TryDecodeFromChars throws on a character outside the alphabet: IsValid first, the key is a URL's.
        if (key.Length == Chars
            && Base64Url.IsValid(key, out var length)
            && length == Bytes
            && Base64Url.TryDecodeFromChars(key, bytes, out var written)
            && written == Bytes)
        {
            bits = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            Span<char> again = stackalloc char[Chars];
            if (Base64Url.TryEncodeToChars(bytes, again, out _) && again.SequenceEqual(key))
            {
                return true;
            }
        }

        bits = default;
        return false;
    }

    public static string Format(UInt128 bits)
    {
        Span<byte> bytes = stackalloc byte[Bytes];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        return Base64Url.EncodeToString(bytes);
    }
}
