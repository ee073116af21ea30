using System.Collections;

namespace Backcall.Sip.Message;

/// <summary>
/// The values of one header name in a message, in order. A struct with a struct enumerator, so a
/// <c>foreach</c> over them (the parser and the call path make several per message) allocates nothing.
/// </summary>
internal readonly struct SipHeaderValues(List<SipHeader> headers, string name) : IEnumerable<string>
{
    public Enumerator GetEnumerator() => new(headers, name);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal struct Enumerator(List<SipHeader> headers, string name) : IEnumerator<string>
    {
        private int _index = -1;

        public readonly string Current => headers[_index].Value;

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (++_index < headers.Count)
            {
                if (string.Equals(headers[_index].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
